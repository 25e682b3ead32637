"""A register import over LAYAK_IMPORT_JOB_BYTES runs as a job (the register kit's `import_view`, decision
0010): the person goes to the job's page, which shows the same all-or-nothing outcome with every row error."""

from __future__ import annotations

from django.core.files.storage import storages
from django.urls import reverse

from layak.jobs.choices import JobKind, JobStatus
from layak.jobs.models import Job
from layak.taskforces.tests.xlsx_helpers import xlsx_upload

HEADER = ["Name", "Position", "OPD", "Organisation", "Role", "Sub-group", "Sector"]
GOOD = ["Hendra Gunawan", "Kabid Perencanaan", "Bappeda", "", "anggota", "Kelembagaan", "pemerintah"]
BAD = ["Salah Peran", "Staf", "Bappeda", "", "bendahara", "", "pemerintah"]


def _post(client, decree, rows):
    upload = xlsx_upload(rows, header=HEADER, title="Anggota")
    return client.post(reverse("taskforces:member_import", args=[decree.pk]), {"upload": upload})


def test_a_large_import_runs_as_a_job_and_imports(settings, login, region_coordinator, decree):
    settings.LAYAK_IMPORT_JOB_BYTES = 100
    before = decree.members.count()
    client = login(region_coordinator)
    response = _post(client, decree, [GOOD])
    job = Job.objects.get(kind=JobKind.REGISTER_IMPORT)
    assert response.status_code == 302 and response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    assert job.status == JobStatus.DONE and job.result == {"created": 1}
    assert decree.members.count() == before + 1
    assert storages["exports"].listdir("exports/imports")[1] == []  # the stored upload is gone
    page = client.get(response["Location"]).content.decode()
    assert "1 row was imported." in page and decree.get_absolute_url() in page


def test_a_refused_large_import_lists_every_row_error_and_imports_nothing(settings, login, region_coordinator, decree):
    settings.LAYAK_IMPORT_JOB_BYTES = 100
    before = decree.members.count()
    client = login(region_coordinator)
    response = _post(client, decree, [GOOD, BAD])
    job = Job.objects.get(kind=JobKind.REGISTER_IMPORT)
    assert job.status == JobStatus.FAILED and decree.members.count() == before
    assert [(e["sheet"], e["row"], e["column"]) for e in job.result["row_errors"]] == [("Anggota", 3, "E (Role)")]
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was imported: the file has 1 error." in page and "Salah Peran" not in page


def test_a_small_import_still_answers_in_the_request(login, region_coordinator, decree):
    response = _post(login(region_coordinator), decree, [GOOD])
    assert response.status_code == 302 and not Job.objects.exists()


def test_the_outsider_cannot_start_an_import_job(settings, login, outsider, decree):
    settings.LAYAK_IMPORT_JOB_BYTES = 100
    assert _post(login(outsider), decree, [GOOD]).status_code in (403, 404)
    assert not Job.objects.exists()
