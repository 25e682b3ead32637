"""RAD KLA (Rencana Aksi Daerah Kabupaten/Kota Layak Anak): the region's action plan and its monitoring.

A plan covers a period (for example 2021-2026) and is adopted by a Perwali/Perbup; its activities link to
KLA indicators and to a KHA rights group, belong to an owner OPD, and carry a target and a child-rights
budget (anggaran responsif anak) per year. Realisation is reported per quarter (physical % and Rupiah) and
summarised in a quarterly monitoring report (monev).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import ActionStatus, FigureGoal, PlanStatus, RightsGroup

MONEY = {"max_digits": 18, "decimal_places": 2}


class ActionPlan(models.Model):
    """One RAD KLA of a kab/kota for a period, with its legal basis and whether the RPJMD integrates it.

    `framework` is the indicator framework version whose indicators its actions link to.
    """

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("regency/city"), on_delete=models.PROTECT, related_name="action_plans"
    )
    title = models.CharField(_("title"), max_length=300)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    legal_basis = models.CharField(
        _("legal basis"), max_length=200, blank=True, help_text=_("For example Perwali Banjarmasin No. 12 Tahun 2021.")
    )
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    integrated_in_rpjmd = models.BooleanField(_("integrated in the RPJMD"), default=False)
    framework = models.ForeignKey(
        "frameworks.FrameworkVersion", verbose_name=_("indicator framework"), on_delete=models.PROTECT
    )
    document = models.ForeignKey(
        "evidence.Evidence", verbose_name=_("document"), null=True, blank=True, on_delete=models.SET_NULL
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["region_id", "-start_year", "pk"]
        verbose_name = _("RAD KLA")
        verbose_name_plural = _("RAD KLA")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="plan_period_order",
                violation_error_message=_("The last year of the plan cannot be before its first year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_year}-{self.end_year})"

    def get_absolute_url(self) -> str:
        return reverse("plans:plan_detail", args=[self.pk])

    def covers(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year


class Action(models.Model):
    """A programme or activity of the RAD: its indicators, KHA rights group, owner OPD and status.

    A draft (`is_draft`) was suggested from points lost in the last score and waits for the coordinator to
    confirm it; drafts count in no total.
    """

    plan = models.ForeignKey(ActionPlan, verbose_name=_("RAD KLA"), on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("activity"), max_length=300)
    programme = models.CharField(_("programme"), max_length=300, blank=True)
    indicators = models.ManyToManyField(
        "frameworks.Indicator", verbose_name=_("indicators"), blank=True, related_name="plan_actions"
    )
    rights_group = models.CharField(_("KHA rights group"), max_length=16, choices=RightsGroup.choices, blank=True)
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("owner OPD"), null=True, blank=True, on_delete=models.PROTECT
    )
    status = models.CharField(_("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    is_draft = models.BooleanField(_("draft"), default=False)
    figure = models.CharField(
        _("child-protection figure targeted"),
        max_length=90,
        blank=True,
        help_text=_("Optional: the figure whose yearly count the targets below are about; its progress is read from "
                    "the recorded figures."),
    )  # fmt: skip
    figure_goal = models.CharField(_("goal"), max_length=10, choices=FigureGoal.choices, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["plan_id", "programme", "title", "pk"]
        verbose_name = _("RAD action")
        verbose_name_plural = _("RAD actions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(figure="") | ~models.Q(figure_goal=""),
                name="action_figure_goal",
                violation_error_message=_("Say whether the figure should be at most or at least the target."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:action_detail", args=[self.pk])


class ActionYear(models.Model):
    """The target and the child-rights budget (anggaran responsif anak, Rupiah) of an action in one year."""

    action = models.ForeignKey(Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("year"))
    target = models.CharField(_("target"), max_length=300, blank=True)
    target_value = models.DecimalField(_("target (number)"), max_digits=14, decimal_places=2, null=True, blank=True)
    budget = models.DecimalField(_("child-rights budget (Rp)"), default=0, **MONEY)

    class Meta:
        ordering = ["action_id", "year"]
        verbose_name = _("yearly target and budget")
        verbose_name_plural = _("yearly targets and budgets")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "year"],
                name="action_year_unique",
                violation_error_message=_(
                    "This activity already has a target and budget for that year; edit that year instead."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(budget__gte=0),
                name="action_year_budget_nonnegative",
                violation_error_message=_("The budget cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action_id} {self.year}"


class Realisation(models.Model):
    """What an action achieved in one quarter: physical progress (%) and money spent (Rupiah)."""

    action = models.ForeignKey(Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="realisations")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    physical_pct = models.DecimalField(_("physical realisation (%)"), max_digits=5, decimal_places=2)
    financial = models.DecimalField(_("financial realisation (Rp)"), **MONEY)
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["action_id", "year", "quarter"]
        verbose_name = _("quarterly realisation")
        verbose_name_plural = _("quarterly realisations")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "year", "quarter"],
                name="realisation_one_per_quarter",
                violation_error_message=_("This quarter already has a realisation for this activity; edit it instead."),
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4),
                name="realisation_quarter",
                violation_error_message=_("Choose a quarter from 1 to 4."),
            ),
            models.CheckConstraint(
                condition=models.Q(physical_pct__gte=0, physical_pct__lte=100),
                name="realisation_physical_pct",
                violation_error_message=_("The physical realisation is a percentage from 0 to 100."),
            ),
            models.CheckConstraint(
                condition=models.Q(financial__gte=0),
                name="realisation_financial_nonnegative",
                violation_error_message=_("The financial realisation cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action_id} {self.year} Q{self.quarter}"


class MonitoringReport(models.Model):
    """The quarterly monitoring (monev) report of a RAD: summary, issues met and an optional signed file."""

    plan = models.ForeignKey(ActionPlan, verbose_name=_("RAD KLA"), on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    summary = models.TextField(_("summary"))
    issues = models.TextField(_("issues and follow-up"), blank=True)
    document = models.ForeignKey(
        "evidence.Evidence", verbose_name=_("document"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["plan_id", "-year", "-quarter"]
        verbose_name = _("monitoring report")
        verbose_name_plural = _("monitoring reports")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "year", "quarter"],
                name="report_one_per_quarter",
                violation_error_message=_("This plan already has a monitoring report for that quarter."),
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4),
                name="report_quarter",
                violation_error_message=_("Choose a quarter from 1 to 4."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.year} Q{self.quarter}"

    def get_absolute_url(self) -> str:
        return reverse("plans:report_detail", args=[self.pk])


class RegionBudget(models.Model):
    """The kab/kota's total regional budget (APBD) of a year, entered by the coordinator.

    It is the denominator of the share of the budget spent on children's rights.
    """

    region = models.ForeignKey("regions.Region", verbose_name=_("regency/city"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    apbd_total = models.DecimalField(_("APBD total (Rp)"), **MONEY)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["region_id", "-year"]
        verbose_name = _("regional budget (APBD)")
        verbose_name_plural = _("regional budgets (APBD)")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"],
                name="region_budget_one_per_year",
                violation_error_message=_("The APBD total of this year is already entered; change it instead."),
            ),
            models.CheckConstraint(
                condition=models.Q(apbd_total__gt=0),
                name="region_budget_positive",
                violation_error_message=_("The APBD total must be more than 0."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}"
