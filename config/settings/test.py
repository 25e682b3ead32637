"""The test suite: fast hashing, in-memory e-mail, plain static storage for live_server."""

import os

from .base import *  # noqa: F403
from .base import STORAGES, env_int

SECRET_KEY = "test-only-key"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Manifest storage makes live_server 404 on hashed names (see shared/design/STACK.md).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# Tests sign personas in with force_login; the 2FA tests switch the requirement on themselves.
LAYAK_2FA_REQUIRED = False
# Jobs run at once, in the test's own process and transaction; one test runs a real worker on the database backend.
# (A worker process started by a test gets LAYAK_TEST_TASKS_BACKEND=django_tasks_db.DatabaseBackend.)
TASKS = {
    "default": {
        "BACKEND": os.environ.get("LAYAK_TEST_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
        "QUEUES": ["default"],
    }
}
# Tests change results and look at once; the bench (bench/bench_pages.py) sets the production default (2 s).
LAYAK_DASHBOARDS_PUBLIC_STAMP_SECONDS = env_int("LAYAK_DASHBOARDS_PUBLIC_STAMP_SECONDS", 0)
