from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .checks import CHECKS

CHECK_CHOICES = [(code, check.title) for code, check in CHECKS.items()]


class DocumentFacts(models.Model):
    """What the readiness checks found in one stored file (read once per file: the same bytes, the same facts)."""

    file = models.OneToOneField(
        "evidence.StoredFile", verbose_name=_("file"), on_delete=models.CASCADE, related_name="+"
    )
    facts = models.JSONField(_("facts found"), default=dict)
    read_at = models.DateTimeField(_("read at"), auto_now=True)

    class Meta:
        verbose_name = _("facts of a document")
        verbose_name_plural = _("facts of documents")

    def __str__(self) -> str:
        return f"{self.file_id}: {self.facts.get('status', '')}"


class Flag(models.Model):
    """One problem a check found in an answered item of an assessment, with the points it puts at risk.

    `item_code` is the data element (indicator-level frameworks) or the question; `evidence` the document it is
    about, when it is about one. A run of the checks keeps the flags still found (and their marks), adds the new
    ones and removes those fixed.
    """

    assessment = models.ForeignKey(
        "evaluations.Assessment", verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.ForeignKey("frameworks.Indicator", verbose_name=_("indicator"), on_delete=models.CASCADE)
    item_code = models.CharField(_("item"), max_length=60, blank=True)
    evidence = models.ForeignKey(
        "evidence.Evidence", verbose_name=_("evidence"), null=True, blank=True, on_delete=models.CASCADE
    )
    check_code = models.CharField(_("check"), max_length=40, choices=CHECK_CHOICES)
    params = models.JSONField(_("details"), default=dict, blank=True)
    points_at_risk = models.DecimalField(_("points at risk"), max_digits=7, decimal_places=2, default=0)
    found_at = models.DateTimeField(_("found at"), auto_now_add=True)
    marked_wrong_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked wrong by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    marked_wrong_at = models.DateTimeField(_("marked wrong at"), null=True, blank=True)

    class Meta:
        ordering = ["assessment_id", "indicator__order", "item_code", "check_code", "pk"]
        verbose_name = _("readiness flag")
        verbose_name_plural = _("readiness flags")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator", "item_code", "evidence", "check_code"],
                name="readiness_flag_once",
                nulls_distinct=False,
                violation_error_message=_("This problem is already flagged."),
            ),
            models.CheckConstraint(
                condition=models.Q(points_at_risk__gte=0),
                name="readiness_flag_points_positive",
                violation_error_message=_("Points at risk cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.indicator_id}/{self.item_code}: {self.check_code}"

    @property
    def is_marked_wrong(self) -> bool:
        return self.marked_wrong_at is not None


class WrongMark(models.Model):
    """A verifier's word that a flag was wrong; kept per check (also after the flag is gone) to tune the checks."""

    check_code = models.CharField(_("check"), max_length=40, choices=CHECK_CHOICES, db_index=True)
    flag = models.ForeignKey(
        Flag, verbose_name=_("flag"), null=True, blank=True, on_delete=models.SET_NULL, related_name="marks"
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("marked by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(_("marked at"), auto_now_add=True)
    note = models.CharField(_("why it is wrong"), max_length=300, blank=True)

    class Meta:
        ordering = ["-marked_at"]
        verbose_name = _("flag marked wrong")
        verbose_name_plural = _("flags marked wrong")

    def __str__(self) -> str:
        return f"{self.check_code} ({self.marked_at:%Y-%m-%d})"


class CheckSetting(models.Model):
    """A check a national admin turned off (or on again); a check without a row is on."""

    check_code = models.CharField(_("check"), max_length=40, choices=CHECK_CHOICES, unique=True)
    enabled = models.BooleanField(_("on"), default=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("check setting")
        verbose_name_plural = _("check settings")

    def __str__(self) -> str:
        return f"{self.check_code}: {'on' if self.enabled else 'off'}"
