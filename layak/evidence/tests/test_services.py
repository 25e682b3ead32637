from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from layak.audit.models import AuditEvent
from layak.evidence import services, storage
from layak.evidence.models import Evidence, EvidenceVersion, StoredFile
from layak.evidence.storage import FileTooLarge
from layak.evidence.tests import factories as f


def upload(data: bytes, name: str = "sk-gugus-tugas.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_upload_stores_bytes_under_their_sha256(region_coordinator, region):
    evidence = services.evidence_create_from_upload(
        user=region_coordinator, region=region, upload=upload(f.PDF_BYTES), title="SK Gugus Tugas KLA"
    )
    sha = hashlib.sha256(f.PDF_BYTES).hexdigest()
    stored = evidence.current_file
    assert (stored.sha256, stored.size, stored.content_type) == (sha, len(f.PDF_BYTES), "application/pdf")
    assert stored.storage_name == f"evidence/{sha[:2]}/{sha}"
    with default_storage.open(stored.storage_name) as fh:
        assert fh.read() == f.PDF_BYTES
    assert evidence.versions.count() == 1
    assert evidence.deduplicated is False


def test_upload_from_a_path_on_disk(opd_contributor, region, tmp_path):
    path = tmp_path / "profil-anak.xlsx"
    path.write_bytes(f.xlsx_bytes())
    evidence = services.evidence_create_from_upload(user=opd_contributor, region=region, upload=path, title="")
    assert evidence.title == "profil-anak.xlsx"
    assert evidence.current_file.content_type.endswith("spreadsheetml.sheet")


def test_content_type_comes_from_bytes_not_the_name_or_header(region_coordinator, region):
    html = upload(b"<html><script>alert(1)</script></html>", "laporan.pdf", "application/pdf")
    with pytest.raises(ValidationError, match="Allowed are: PDF"):
        services.evidence_create_from_upload(user=region_coordinator, region=region, upload=html, title="x")
    assert not StoredFile.objects.exists()
    assert list(storage.temp_dir().iterdir()) == []


def test_size_limit_refuses_and_leaves_no_temp_data(settings, region_coordinator, region):
    settings.LAYAK_EVIDENCE_MAX_BYTES = 1024 * 1024
    with pytest.raises(FileTooLarge, match="limit of 1 MB"):
        services.evidence_create_from_upload(
            user=region_coordinator, region=region, upload=upload(f.pdf_of_size(1024 * 1024 + 1)), title="x"
        )
    assert not StoredFile.objects.exists()
    assert list(storage.temp_dir().iterdir()) == []


def test_same_bytes_in_same_region_return_the_existing_evidence(region_coordinator, opd_contributor, region):
    first = services.evidence_create_from_upload(
        user=region_coordinator, region=region, upload=upload(f.PDF_BYTES), title="Perda KLA"
    )
    again = services.evidence_create_from_upload(
        user=opd_contributor, region=region, upload=upload(f.PDF_BYTES, "perda-copy.pdf"), title="Perda again"
    )
    assert again.pk == first.pk and again.deduplicated is True
    assert StoredFile.objects.count() == 1 and Evidence.objects.count() == 1


def test_same_bytes_in_another_region_share_the_stored_file(national_admin, region, other_region):
    a = services.evidence_create_from_upload(user=national_admin, region=region, upload=upload(f.PDF_BYTES), title="A")
    b = services.evidence_create_from_upload(
        user=national_admin, region=other_region, upload=upload(f.PDF_BYTES), title="B"
    )
    assert a.pk != b.pk and a.current_file_id == b.current_file_id
    assert StoredFile.objects.count() == 1


def test_replace_keeps_the_old_version(region_coordinator, region):
    evidence = services.evidence_create_from_upload(
        user=region_coordinator, region=region, upload=upload(f.PDF_BYTES), title="RAD KLA"
    )
    old_file = evidence.current_file
    services.evidence_replace_file(
        user=region_coordinator, evidence=evidence, upload=upload(f.pdf_of_size(500), "rad-2025.pdf"), note="Revisi"
    )
    evidence.refresh_from_db()
    assert evidence.current_file != old_file and evidence.original_name == "rad-2025.pdf"
    assert [v.file_id for v in evidence.versions.order_by("id")] == [old_file.pk, evidence.current_file_id]
    assert default_storage.exists(old_file.storage_name)


def test_replace_with_identical_file_is_refused(region_coordinator, region):
    evidence = services.evidence_create_from_upload(
        user=region_coordinator, region=region, upload=upload(f.PDF_BYTES), title="RAD KLA"
    )
    with pytest.raises(ValidationError, match="identical"):
        services.evidence_replace_file(user=region_coordinator, evidence=evidence, upload=upload(f.PDF_BYTES))


def test_link_must_be_http_or_https(region_coordinator, region):
    with pytest.raises(ValidationError, match="http:// or https://"):
        services.evidence_create_link(user=region_coordinator, region=region, url="javascript:alert(1)", title="x")
    link = services.evidence_create_link(
        user=region_coordinator, region=region, url="https://jdih.jakarta.go.id/perda-kla", title="Perda KLA"
    )
    assert link.kind == "link" and link.current_file is None


def test_carry_forward_copies_file_and_points_back(region_coordinator, region):
    evidence = services.evidence_create_from_upload(
        user=region_coordinator, region=region, upload=upload(f.PDF_BYTES), title="SK GT", document_number="SK 12/2024"
    )
    copy = services.evidence_carry_forward(user=region_coordinator, evidence=evidence)
    assert copy.pk != evidence.pk and copy.carried_from == evidence
    assert (copy.current_file_id, copy.document_number) == (evidence.current_file_id, "SK 12/2024")
    assert EvidenceVersion.objects.filter(evidence=copy).count() == 1


@pytest.mark.parametrize("persona", ["outsider", "province_verifier", "independent_evaluator"])
def test_only_region_people_and_national_admins_may_manage(request, persona, region):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.evidence_create_link(user=user, region=region, url="https://example.org/a", title="x")


def test_services_write_audit_events(region_coordinator, region):
    evidence = services.evidence_create_from_upload(
        user=region_coordinator, region=region, upload=upload(f.PDF_BYTES), title="SK"
    )
    services.evidence_replace_file(user=region_coordinator, evidence=evidence, upload=upload(f.PNG_BYTES, "foto.png"))
    services.evidence_create_link(user=region_coordinator, region=region, url="https://example.org/a", title="L")
    services.evidence_carry_forward(user=region_coordinator, evidence=evidence)
    verbs = list(AuditEvent.objects.order_by("id").values_list("verb", flat=True))
    assert verbs == ["evidence.uploaded", "evidence.replaced", "evidence.linked", "evidence.carried_forward"]
    assert AuditEvent.objects.filter(region_code="31.71", actor=region_coordinator).count() == 4
