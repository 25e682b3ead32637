from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import JobKind, JobStatus


class Job(models.Model):
    """Slow work a person started from a page (a cycle's report bundle, a score recomputation, a large import),
    run by a worker of the task queue (decision 0010) while the page shows its progress.

    `scope` is the region code the work covers ("" for the whole country), checked again when its file is
    downloaded; `params` hold what the task needs (a cycle id, a stored upload's name); `file_name` is a name in
    the "exports" storage; `result` the plain facts the result page shows (counts, row errors), worded when read;
    `error` a sentence in the owner's language when the job could not finish.
    """

    kind = models.CharField(_("kind"), max_length=32, choices=JobKind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    scope = models.CharField(_("region"), max_length=32, blank=True)
    params = models.JSONField(_("details"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, default="id")
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    file_name = models.CharField(_("file"), max_length=300, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    started_at = models.DateTimeField(_("running since"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["owner", "kind", "-created_at"], name="job_owner_kind")]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
