"""The queue for real: jobs enqueued on the database backend and run by the worker (in this process on any
database; as a separate `run_worker` process on PostgreSQL, whose test database other processes can reach)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from layak.evaluations.tests.factories import make_assessment, make_cycle, make_framework
from layak.jobs.choices import JobStatus
from layak.jobs.models import Job
from layak.jobs.schedule import due_periodic_tasks, enqueue_due_periodic_tasks
from layak.reports.bundle import bundle_start
from layak.reviews.recompute_job import recompute_start

ROOT = Path(__file__).resolve().parents[3]
DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
SWEEP = "layak.evidence.tasks.sweep_uploads_task"


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DB_BACKEND


def test_a_queued_job_waits_for_a_worker_and_its_page_polls(transactional_db, login, national_admin, database_queue):
    cycle = make_cycle(make_framework())
    job = recompute_start(user=national_admin, cycle=cycle)
    assert job.status == JobStatus.QUEUED and DBTaskResult.objects.filter(status="READY").count() == 1
    fragment = login(national_admin).get(reverse("jobs:job_status", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in fragment and "Waiting for a worker" in fragment
    call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result["assessments"] == 0
    fragment = login(national_admin).get(reverse("jobs:job_status", args=[job.pk])).content.decode()
    assert "hx-trigger" not in fragment and "0 assessments recomputed" in fragment


def test_a_job_runs_once_even_if_delivered_twice(national_admin):
    from layak.jobs.services import job_run

    cycle = make_cycle(make_framework())
    job = recompute_start(user=national_admin, cycle=cycle)  # the immediate backend ran it
    assert job.status == JobStatus.DONE
    assert job_run(job.pk, lambda job, progress: {"ran": True}) is None


def test_periodic_tasks_are_enqueued_once_per_period(db, settings, database_queue):
    settings.LAYAK_PERIODIC_TASKS = [(SWEEP, 3600)]
    assert due_periodic_tasks() == [SWEEP]
    assert enqueue_due_periodic_tasks() == [SWEEP]
    assert due_periodic_tasks() == [] and enqueue_due_periodic_tasks() == []
    assert DBTaskResult.objects.filter(task_path=SWEEP).count() == 1


def _worker_env(tmp_path) -> dict[str, str]:
    db = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "LAYAK_MEDIA_ROOT": str(tmp_path / "media"),
        "LAYAK_TEST_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }


def _worker(tmp_path, *args: str) -> subprocess.Popen:
    command = [sys.executable, "manage.py", "run_worker", "--no-startup-delay", "--no-reload", *args]
    return subprocess.Popen(command, env=_worker_env(tmp_path), cwd=ROOT)


@pytest.mark.slow
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker process shares a PostgreSQL database")
def test_a_worker_process_makes_a_report_bundle(transactional_db, national_admin, database_queue, tmp_path):
    cycle = make_cycle(make_framework())
    make_assessment(cycle, "31.71")
    make_assessment(cycle, "63.71")
    job = bundle_start(user=national_admin, cycle=cycle, scope="")
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
    worker = _worker(tmp_path, "--batch")
    assert worker.wait(timeout=180) == 0
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 2, 2)
    assert storages["exports"].size(job.file_name) > 0
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.slow
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker process shares a PostgreSQL database")
def test_the_worker_of_make_run_stops_with_the_server(transactional_db, tmp_path):
    server = subprocess.Popen(["sleep", "600"])
    worker = _worker(tmp_path, "--stop-with", str(server.pid))
    try:
        time.sleep(3)
        assert worker.poll() is None
        server.kill()
        server.wait()
        # 0 once its signal handlers are in place (a graceful stop); killed by the signal if it was still starting.
        assert worker.wait(timeout=30) in (0, -signal.SIGTERM)
    finally:
        if worker.poll() is None:
            worker.kill()
