"""Aggregated child-protection figures of a kab/kota (or one of its kecamatan) per month or quarter.

Counts only, never a case: no model here has a field for a name, a date of birth, a NIK, an address or any
free text about a child (UU 27/2022: children's data is specific personal data). See docs/protection.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import CorrectionReason, FlagStatus, Source


class Report(models.Model):
    """The figures of one topic (violence, ABH, ...) for one region and one period: a month (`months` = 1) or
    a quarter (`months` = 3, starting in `month`). `values` maps each cell key of the topic (see
    data/protection/) to a count; every breakdown adds up to its count. Each change keeps a `ReportVersion`.
    """

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="protection_reports"
    )
    topic = models.CharField(_("topic"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("first month"))
    months = models.PositiveSmallIntegerField(_("months covered"), default=1)
    values = models.JSONField(_("figures"))
    catalogue = models.CharField(_("categories version"), max_length=20)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_demo = models.BooleanField(_("demo data (data contoh)"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["region_id", "topic", "year", "month"]
        verbose_name = _("child-protection report")
        verbose_name_plural = _("child-protection reports")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "topic", "year", "month"],
                name="protection_report_period",
                violation_error_message=_("This period of this topic already has figures; correct them instead."),
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12),
                name="protection_report_month",
                violation_error_message=_("Enter a month from 1 to 12."),
            ),
            models.CheckConstraint(
                condition=models.Q(months__in=[1, 3]),
                name="protection_report_months",
                violation_error_message=_("Figures are recorded per month or per quarter."),
            ),
        ]
        indexes = [models.Index(fields=["topic", "year"], name="protection_report_topic_year")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.topic} {self.year}-{self.month:02d}"

    @property
    def quarter(self) -> int:
        return (self.month - 1) // 3 + 1


class ReportVersion(models.Model):
    """One version of a period's figures, kept forever: the first entry and every correction with its reason."""

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    values = models.JSONField(_("figures"))
    reason = models.CharField(_("reason"), max_length=20, choices=CorrectionReason.choices, blank=True)
    source = models.CharField(_("entered through"), max_length=10, choices=Source.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        ordering = ["report_id", "-number"]
        verbose_name = _("version of a report")
        verbose_name_plural = _("versions of reports")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"],
                name="protection_version_number",
                violation_error_message=_("This version of the period is already recorded."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.number}"


class JumpFlag(models.Model):
    """A count that jumped above `factor` x the mean of the periods before it, for the coordinator to check.
    It is not an error: the coordinator confirms it as right or corrects the period."""

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="flags")
    cell = models.CharField(_("figure"), max_length=40)
    value = models.PositiveIntegerField(_("count"))
    trailing_mean = models.DecimalField(_("mean of the periods before"), max_digits=10, decimal_places=1)
    status = models.CharField(_("status"), max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("flagged at"), auto_now_add=True)

    class Meta:
        ordering = ["report_id", "cell"]
        verbose_name = _("flagged jump")
        verbose_name_plural = _("flagged jumps")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "cell"],
                name="protection_flag_cell",
                violation_error_message=_("This count of the period is already flagged."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.cell}"


class ChildPopulation(models.Model):
    """The number of children (0-17) of a region in a year, with where the figure comes from (BPS projection,
    Disdukcapil ...). It is the denominator of the rates per 10,000 children."""

    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    children = models.PositiveIntegerField(_("children aged 0-17"))
    source = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("source address"), blank=True)
    is_demo = models.BooleanField(_("demo data (data contoh)"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["region_id", "-year"]
        verbose_name = _("child population")
        verbose_name_plural = _("child populations")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"],
                name="protection_population_year",
                violation_error_message=_("The region's child population of this year is already recorded."),
            ),
            models.CheckConstraint(
                condition=models.Q(children__gt=0),
                name="protection_population_positive",
                violation_error_message=_("Enter the number of children, more than zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}: {self.children}"


class PublishedTable(models.Model):
    """What the public may see of one topic in one year, as decided for the data stamp `stamp`: every place's
    counts and which are hidden. Kept so that every app server reads the same decision instead of computing it
    again (the computation covers the whole country); replaced when the figures change."""

    topic = models.CharField(_("topic"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    stamp = models.CharField(_("data stamp"), max_length=32)
    payload = models.JSONField(_("publication"))
    built_at = models.DateTimeField(_("built at"), auto_now=True)

    class Meta:
        verbose_name = _("published table")
        verbose_name_plural = _("published tables")
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "year"],
                name="protection_published_topic_year",
                violation_error_message=_("This topic and year are already published."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.year} @{self.stamp}"
