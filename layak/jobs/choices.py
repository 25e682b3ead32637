from django.db import models
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    """What slow work a job does; each kind's task lives in the app that owns the work (decision 0010)."""

    REPORT_BUNDLE = "report_bundle", _("Report bundle")
    RECOMPUTE = "recompute", _("Score recomputation")
    REGISTER_IMPORT = "register_import", _("Import")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Processing…")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Not finished")
