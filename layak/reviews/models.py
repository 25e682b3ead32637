"""Verification results: scores per stage and the final predicate of an assessment."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import ScoreStage


class ScoreSnapshot(models.Model):
    """The scores of one assessment as one stage saw them, stored so a past result stays reproducible.

    `groups` maps a group code (K, I ... V) to {"points": "12.50", "max": "200.00"}; `indicators` maps an
    indicator code to {"group": "K", "points": "...", "max": "...", "criteria": [...]} with the engine's
    reasons. Decimal values are stored as strings. Written by services, never by hand.
    """

    assessment = models.ForeignKey(
        "evaluations.Assessment", verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="score_snapshots"
    )
    stage = models.CharField(_("stage"), max_length=12, choices=ScoreStage.choices)
    total = models.DecimalField(_("total score"), max_digits=7, decimal_places=2)
    max_total = models.DecimalField(_("maximum score"), max_digits=7, decimal_places=2)
    band_code = models.CharField(_("predicate"), max_length=20, blank=True)
    groups = models.JSONField(_("scores per group"), default=dict)
    indicators = models.JSONField(_("scores per indicator"), default=dict)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        ordering = ["assessment_id", "stage"]
        verbose_name = _("score snapshot")
        verbose_name_plural = _("score snapshots")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "stage"], name="snapshot_one_per_stage"),
            models.CheckConstraint(condition=models.Q(total__gte=0, total__lte=1000), name="snapshot_total_range"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.stage} {self.total}"


class FinalResult(models.Model):
    """The final score and predicate of an assessment.

    `computed_band_code` is what the bands give for `score`; `band_code` is the predicate awarded. They differ
    only when the ministry set another predicate, and then `override_reason` says why (a reported 903 was
    ranked Utama). Visible beyond the region and its reviewers only once the cycle's results are published.
    """

    assessment = models.OneToOneField(
        "evaluations.Assessment", verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="final_result"
    )
    score = models.DecimalField(_("final score"), max_digits=7, decimal_places=2)
    computed_band_code = models.CharField(_("predicate from the bands"), max_length=20, blank=True)
    band_code = models.CharField(_("predicate awarded"), max_length=20, blank=True)
    override_reason = models.TextField(_("reason for a different predicate"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now=True)

    class Meta:
        verbose_name = _("final result")
        verbose_name_plural = _("final results")
        constraints = [
            models.CheckConstraint(condition=models.Q(score__gte=0, score__lte=1000), name="final_score_range"),
            models.CheckConstraint(
                condition=models.Q(band_code=models.F("computed_band_code")) | ~models.Q(override_reason=""),
                name="final_override_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.score} {self.band_code}"

    @property
    def is_overridden(self) -> bool:
        return self.band_code != self.computed_band_code
