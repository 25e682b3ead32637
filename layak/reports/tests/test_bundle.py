"""A cycle's report bundle: who may ask for it and download it, what the zip holds, progress and audit."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.storage import storages
from django.urls import reverse

from layak.accounts.choices import Role
from layak.accounts.tests.factories import make_user_with_role
from layak.audit.models import AuditEvent
from layak.audit.words import audit_sentence
from layak.evaluations.tests.factories import make_assessment
from layak.jobs.choices import JobStatus
from layak.jobs.models import Job


@pytest.fixture
def three_regions(assessment):
    """Jakarta Pusat (with answers), Jakarta Timur in the same province, Banjarmasin in another."""
    return [assessment, make_assessment(assessment.cycle, "31.75"), make_assessment(assessment.cycle, "63.71")]


def _ask(client, cycle, scope: str):
    return client.post(reverse("reports:bundle_create", args=[cycle.pk]), {"scope": scope})


def _members(client, job) -> list[str]:
    response = client.get(reverse("reports:bundle_download", args=[job.pk]))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        return sorted(archive.namelist())


def test_national_admin_gets_every_region_of_the_cycle(login, national_admin, three_regions):
    cycle = three_regions[0].cycle
    client = login(national_admin)
    response = _ask(client, cycle, "")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 3, 3)
    assert storages["exports"].exists(job.file_name) and job.file_name.startswith("exports/bundles/")
    members = _members(client, job)
    assert len(members) == 6
    assert [m for m in members if "31.71-" in m] == [
        "daerah-khusus-ibukota-jakarta/31.71-kota-administrasi-jakarta-pusat.pdf",
        "daerah-khusus-ibukota-jakarta/31.71-kota-administrasi-jakarta-pusat.xlsx",
    ]
    page = client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    assert "Download the reports (zip)" in page and "3 regions" in page


def test_each_member_is_the_report_itself(login, national_admin, three_regions):
    client = login(national_admin)
    _ask(client, three_regions[0].cycle, "")
    job = Job.objects.get()
    body = b"".join(client.get(reverse("reports:bundle_download", args=[job.pk])).streaming_content)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        pdf = archive.read("daerah-khusus-ibukota-jakarta/31.71-kota-administrasi-jakarta-pusat.pdf")
        xlsx = archive.read("daerah-khusus-ibukota-jakarta/31.71-kota-administrasi-jakarta-pusat.xlsx")
    assert pdf.startswith(b"%PDF") and xlsx.startswith(b"PK")


def test_province_verifier_bundles_their_own_province_only(login, province_verifier, three_regions):
    cycle = three_regions[0].cycle
    client = login(province_verifier)
    assert _ask(client, cycle, "").status_code == 403
    assert _ask(client, cycle, "63").status_code == 403
    assert _ask(client, cycle, "31").status_code == 302
    job = Job.objects.get()
    assert job.total == 2 and all(m.startswith("daerah-khusus-ibukota-jakarta/31.7") for m in _members(client, job))


@pytest.mark.parametrize("persona", ["region_coordinator", "outsider", "opd_contributor", "independent_evaluator"])
def test_other_roles_may_not_ask(request, login, three_regions, persona):
    client = login(request.getfixturevalue(persona))
    for scope in ("", "31", "63"):
        assert _ask(client, three_regions[0].cycle, scope).status_code == 403
    assert not Job.objects.exists()


def test_only_the_country_or_a_province_can_be_bundled(login, national_admin, three_regions):
    client = login(national_admin)
    assert _ask(client, three_regions[0].cycle, "99").status_code == 404
    assert _ask(client, three_regions[0].cycle, "31.71").status_code == 404
    assert not Job.objects.exists()


def test_download_is_checked_again(login, national_admin, province_verifier, outsider, three_regions):
    cycle = three_regions[0].cycle
    _ask(login(national_admin), cycle, "")
    national = Job.objects.get()
    url = reverse("reports:bundle_download", args=[national.pk])
    assert login(province_verifier).get(url).status_code == 404
    assert login(outsider).get(url).status_code == 404
    other_province = make_user_with_role("verifikator_kalsel", Role.PROVINCE_VERIFIER, "63")
    _ask(login(province_verifier), cycle, "31")
    dki = Job.objects.exclude(pk=national.pk).get()
    assert login(other_province).get(reverse("reports:bundle_download", args=[dki.pk])).status_code == 404
    assert login(national_admin).get(reverse("reports:bundle_download", args=[dki.pk])).status_code == 200


def test_job_page_is_its_owners_only(login, national_admin, outsider, three_regions):
    _ask(login(national_admin), three_regions[0].cycle, "")
    job = Job.objects.get()
    for name in ("jobs:job_detail", "jobs:job_status"):
        assert login(outsider).get(reverse(name, args=[job.pk])).status_code == 404


def test_asking_and_downloading_are_audited_in_words(login, national_admin, three_regions):
    client = login(national_admin)
    _ask(client, three_regions[0].cycle, "")
    _members(client, Job.objects.get())
    sentences = [audit_sentence(e) for e in AuditEvent.objects.filter(verb__startswith="reports.").order_by("pk")]
    assert sentences[0].endswith("asked for every report of the cycle for Indonesia")
    assert sentences[1].endswith("downloaded every report of the cycle for Indonesia")


def test_results_page_offers_the_bundle_to_who_may_ask(login, national_admin, region_coordinator, three_regions):
    url = reverse("reports:cycle_results", args=[three_regions[0].cycle.pk])
    assert "Prepare the reports" in login(national_admin).get(url).content.decode()
    assert "Prepare the reports" not in login(region_coordinator).get(url).content.decode()


def test_results_page_follows_the_bundles_and_gives_each_visitor_their_own_token(
    login, national_admin, three_regions, django_assert_max_num_queries
):
    from django.test import Client

    from layak.common.pagecache import PLACEHOLDER
    from layak.jobs.services import _finish

    cycle = three_regions[0].cycle
    url = reverse("reports:cycle_results", args=[cycle.pk])
    client = login(national_admin)
    assert 'class="rs-bundles"' not in client.get(url).content.decode()
    _ask(client, cycle, "")  # the job is created, claimed, advanced and finished (saves and queryset updates)
    job = Job.objects.get()
    page = client.get(url).content.decode()
    assert 'class="rs-bundles"' in page and reverse("reports:bundle_download", args=[job.pk]) in page
    _finish(job, JobStatus.FAILED, error="x", file_name="")  # a queryset update of the job
    assert reverse("reports:bundle_download", args=[job.pk]) not in client.get(url).content.decode()
    with django_assert_max_num_queries(3):  # the session's user, grants and unread count: no job, no cycle
        client.get(url)
    other = Client()
    other.force_login(national_admin)
    pages = [client.get(url).content.decode(), other.get(url).content.decode()]
    marker = 'name="csrfmiddlewaretoken" value="'
    tokens = {page.split(marker)[1].split('"')[0] for page in pages}
    assert len(tokens) == 2 and not any(PLACEHOLDER in page for page in pages)
