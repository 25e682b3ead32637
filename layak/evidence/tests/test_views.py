from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from layak.evidence import services
from layak.evidence.models import Evidence
from layak.evidence.tests import factories as f


@pytest.fixture
def evidence(region_coordinator, region):
    upload = SimpleUploadedFile("SK Gugus Tugas.pdf", f.PDF_BYTES)
    return services.evidence_create_from_upload(user=region_coordinator, region=region, upload=upload, title="SK GT")


def library_url(code="31.71"):
    return reverse("evidence:evidence_library", args=[code])


def test_coordinator_uploads_through_the_plain_form(login, region_coordinator, region):
    client = login(region_coordinator)
    response = client.post(
        reverse("evidence:evidence_upload", args=["31.71"]),
        {"file": SimpleUploadedFile("perda.pdf", f.PDF_BYTES), "title": "Perda KLA", "document_number": "4/2023"},
    )
    assert response.status_code == 302
    assert Evidence.objects.get().document_number == "4/2023"
    assert "Perda KLA" in client.get(library_url()).content.decode()


def test_upload_form_shows_the_size_limit_when_passed(settings, login, region_coordinator, region):
    settings.LAYAK_EVIDENCE_MAX_BYTES = 1024 * 1024
    response = login(region_coordinator).post(
        reverse("evidence:evidence_upload", args=["31.71"]),
        {"file": SimpleUploadedFile("big.pdf", f.pdf_of_size(1024 * 1024 + 10)), "title": "Big"},
    )
    assert response.status_code == 400
    assert "limit of 1 MB" in response.content.decode()
    assert not Evidence.objects.exists()


def test_upload_form_refuses_a_disguised_program(login, region_coordinator, region):
    response = login(region_coordinator).post(
        reverse("evidence:evidence_upload", args=["31.71"]),
        {"file": SimpleUploadedFile("laporan.pdf", b"MZ\x90\x00" + b"\x00" * 64), "title": "x"},
    )
    assert response.status_code == 400 and "not accepted" in response.content.decode()


def test_link_form_adds_a_link(login, opd_contributor, region):
    response = login(opd_contributor).post(
        reverse("evidence:evidence_link_create", args=["31.71"]), {"url": "https://example.org/sk", "title": "SK"}
    )
    assert response.status_code == 302 and Evidence.objects.get().url == "https://example.org/sk"


def test_library_query_count_does_not_grow(login, region_coordinator, region, evidence, django_assert_max_num_queries):
    for i in range(5):
        services.evidence_create_link(user=region_coordinator, region=region, url=f"https://e.org/{i}", title=f"L{i}")
    client = login(region_coordinator)
    with django_assert_max_num_queries(8):
        response = client.get(library_url())
    assert response.status_code == 200 and "SK GT" in response.content.decode()


def test_province_verifier_reads_but_cannot_upload(login, province_verifier, evidence):
    client = login(province_verifier)
    page = client.get(library_url())
    assert page.status_code == 200 and "evidence-upload-form" not in page.content.decode()
    assert client.get(reverse("evidence:evidence_download", args=[evidence.pk])).status_code == 200


def test_coordinator_downloads_the_right_bytes_as_attachment(login, region_coordinator, evidence):
    response = login(region_coordinator).get(reverse("evidence:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == f.PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (
        response["Content-Disposition"].startswith("attachment;")
        and "SK Gugus Tugas.pdf" in response["Content-Disposition"]
    )


def test_old_version_stays_downloadable(login, region_coordinator, evidence):
    old = evidence.versions.get()
    client = login(region_coordinator)
    response = client.post(
        reverse("evidence:evidence_replace", args=[evidence.pk]),
        {"file": SimpleUploadedFile("sk-baru.pdf", f.pdf_of_size(400)), "note": "Revisi"},
    )
    assert response.status_code == 302
    detail = client.get(reverse("evidence:evidence_detail", args=[evidence.pk])).content.decode()
    assert "sk-baru.pdf" in detail and "Revisi" in detail
    old_download = client.get(reverse("evidence:evidence_version_download", args=[evidence.pk, old.pk]))
    assert b"".join(old_download.streaming_content) == f.PDF_BYTES


@pytest.mark.parametrize(
    "name", ["evidence_detail", "evidence_download", "evidence_replace"], ids=["detail", "download", "replace"]
)
def test_outsider_gets_404(login, outsider, evidence, name):
    client = login(outsider)
    method = client.post if name == "evidence_replace" else client.get
    assert method(reverse(f"evidence:{name}", args=[evidence.pk])).status_code == 404


def test_outsider_gets_404_on_the_library_and_forms(login, outsider, region):
    client = login(outsider)
    assert client.get(library_url()).status_code == 404
    response = client.post(
        reverse("evidence:evidence_upload", args=["31.71"]), {"file": SimpleUploadedFile("a.pdf", f.PDF_BYTES)}
    )
    assert response.status_code == 404 and not Evidence.objects.exists()


def test_anonymous_is_sent_to_login(client, evidence):
    for url in (library_url(), reverse("evidence:evidence_download", args=[evidence.pk])):
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_safe_filename_strips_paths_and_fixes_the_extension():
    from layak.evidence.views import safe_filename

    assert safe_filename('..\\..\\evil".exe', "application/pdf") == "evil.exe.pdf"
    assert safe_filename("", "image/png") == "evidence.png"


def test_a_file_missing_from_storage_answers_410_with_words(login, region_coordinator, evidence):
    from django.core.files.storage import default_storage

    default_storage.delete(evidence.current_file.storage_name)
    response = login(region_coordinator).get(reverse("evidence:evidence_download", args=[evidence.pk]))
    assert response.status_code == 410 and "missing from storage" in response.content.decode()


def test_downloads_by_reviewers_are_audited_and_the_teams_own_are_not(login, region_coordinator, evidence):
    from layak.accounts.choices import Role
    from layak.accounts.tests.factories import make_user_with_role
    from layak.audit.models import AuditEvent

    url = reverse("evidence:evidence_download", args=[evidence.pk])
    assert login(region_coordinator).get(url).status_code == 200
    assert not AuditEvent.objects.filter(verb="evidence.downloaded").exists()
    verifier = make_user_with_role("verifikator_dki", Role.PROVINCE_VERIFIER, "31")
    assert login(verifier).get(url).status_code == 200
    event = AuditEvent.objects.get(verb="evidence.downloaded")
    assert (event.actor, event.target_id, event.region_code) == (verifier, str(evidence.pk), "31.71")
