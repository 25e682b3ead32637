"""The yearly KLA evaluation: cycles with stage windows, one assessment per kab/kota, and its answers.

A cycle (for example "KLA 2025") uses one frozen framework version. Each kab/kota fills one assessment in the
self-assessment window (evaluasi mandiri): the region coordinator (DP3A) assigns indicators to OPDs, whose
contributors enter the data; one `Answer` per indicator holds the typed values and the narrative.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import EDITABLE_STATUSES, AssessmentStatus, CycleStatus, Stage


class Cycle(models.Model):
    """One yearly evaluation round: its framework version (frozen when the cycle opens) and stage windows.

    Every stage has an opening and a closing time; the server refuses work outside the window unless a
    `CycleExtension` gives one region more time.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=120)
    framework = models.ForeignKey(
        "frameworks.FrameworkVersion", verbose_name=_("framework version"), on_delete=models.PROTECT
    )
    self_assessment_start = models.DateTimeField(_("self-assessment opens"))
    self_assessment_end = models.DateTimeField(_("self-assessment closes"))
    province_verification_start = models.DateTimeField(_("province verification opens"))
    province_verification_end = models.DateTimeField(_("province verification closes"))
    central_review_start = models.DateTimeField(_("central review opens"))
    central_review_end = models.DateTimeField(_("central review closes"))
    field_verification_start = models.DateTimeField(_("field verification opens"))
    field_verification_end = models.DateTimeField(_("field verification closes"))
    finalisation_start = models.DateTimeField(_("finalisation opens"))
    finalisation_end = models.DateTimeField(_("finalisation closes"))
    award_date = models.DateField(_("award date"), null=True, blank=True)
    # Set by a national admin when the cycle's final results become public; before that only the region and
    # its reviewers see them.
    results_published_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=CycleStatus.choices, default=CycleStatus.OPEN)
    # A demo cycle made by `seed_demo`: invented figures, labelled "data contoh" on every page that shows them and
    # never mixed with the published KLA history.
    is_demo = models.BooleanField(_("sample data (data contoh)"), default=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("evaluation cycle")
        verbose_name_plural = _("evaluation cycles")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "name"],
                name="cycle_unique_name_per_year",
                violation_error_message=_("A cycle with this name already exists for that year."),
            ),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{stage}_end__gt": models.F(f"{stage}_start")}),
                    name=f"cycle_{stage}_window_ends_after_start",
                    violation_error_message=_("Each stage must close after it opens."),
                )
                for stage in Stage.values
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("evaluations:cycle_detail", args=[self.pk])

    def window(self, stage: str) -> tuple:
        """(start, end) of a stage as set when the cycle was opened (extensions not included)."""
        return getattr(self, f"{stage}_start"), getattr(self, f"{stage}_end")

    def windows(self) -> list[tuple[str, object, object]]:
        """(stage label, start, end) of every stage, in order, for display."""
        return [(stage.label, *self.window(stage.value)) for stage in Stage]


class CycleExtension(models.Model):
    """Extra time for one kab/kota in one stage (for example 2x24 hours after a power cut), with a reason.

    The latest `extended_until` among a region's extensions for a stage replaces the stage's closing time
    for that region only.
    """

    cycle = models.ForeignKey(Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="extensions")
    region = models.ForeignKey("regions.Region", verbose_name=_("regency/city"), on_delete=models.PROTECT)
    stage = models.CharField(_("stage"), max_length=24, choices=Stage.choices)
    extended_until = models.DateTimeField(_("extended until"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("granted by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        ordering = ["cycle_id", "region_id", "-extended_until"]
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        indexes = [models.Index(fields=["cycle", "region", "stage"], name="extension_lookup")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reason=""),
                name="extension_reason_required",
                violation_error_message=_("Give the reason for the extension."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.stage} → {self.extended_until:%Y-%m-%d %H:%M}"


class Assessment(models.Model):
    """One kab/kota's self-assessment in one cycle: created for every kab/kota when the cycle opens.

    Draft while the region works on it; submitted by the region coordinator (then locked); returned when a
    reviewer sends it back for revision.
    """

    cycle = models.ForeignKey(Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="assessments")
    region = models.ForeignKey("regions.Region", verbose_name=_("regency/city"), on_delete=models.PROTECT)
    status = models.CharField(
        _("status"), max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["cycle_id", "region_id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "region"],
                name="assessment_one_per_region_per_cycle",
                violation_error_message=_("This region already has an assessment in this cycle."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status=AssessmentStatus.SUBMITTED) | models.Q(submitted_at__isnull=False),
                name="assessment_submitted_has_time",
                violation_error_message=_("A submitted assessment needs its submission time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} · {self.cycle}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("evaluations:assessment_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class IndicatorAssignment(models.Model):
    """Which OPD answers an indicator of an assessment, optionally naming the people who fill it in."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="assignments"
    )
    indicator = models.ForeignKey("frameworks.Indicator", verbose_name=_("indicator"), on_delete=models.PROTECT)
    agency = models.ForeignKey("accounts.Agency", verbose_name=_("agency (OPD)"), on_delete=models.PROTECT)
    contributors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("contributors"), blank=True, related_name="indicator_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now=True)

    class Meta:
        ordering = ["assessment_id", "indicator_id"]
        verbose_name = _("indicator assignment")
        verbose_name_plural = _("indicator assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"],
                name="assignment_one_per_indicator",
                violation_error_message=_("This indicator is already assigned; change its OPD instead."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} → {self.agency}"


class Answer(models.Model):
    """The saved answer to one indicator: typed values per data element and the two narratives.

    `values` maps element codes to a JSON value (numbers as decimal strings, booleans, text); `provenance` says
    which of them were taken unchanged from a register (for example the Gugus Tugas meeting count). `revision`
    rises by one on every save; a save must name the revision it started from, so two people editing the
    same indicator cannot overwrite each other silently.
    """

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="answers"
    )
    indicator = models.ForeignKey("frameworks.Indicator", verbose_name=_("indicator"), on_delete=models.PROTECT)
    values = models.JSONField(_("values"), default=dict, blank=True)
    narrative_done = models.TextField(_("What has been done"), blank=True)
    narrative_todo = models.TextField(_("What has not been done yet"), blank=True)
    # {element code: {"key", "source", "as_of"}} for values taken unchanged from a register (prefill.py).
    provenance = models.JSONField(_("provenance"), default=dict, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["assessment_id", "indicator_id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"],
                name="answer_one_per_indicator",
                violation_error_message=_("This indicator already has an answer."),
            ),
            models.CheckConstraint(
                condition=models.Q(revision__gte=1),
                name="answer_revision_positive",
                violation_error_message=_("An answer's revision number starts at 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.indicator_id} r{self.revision}"


class AnswerDraft(models.Model):
    """What one person typed into an indicator form but has not saved yet (autosaved every few seconds).

    Values are kept exactly as typed (not validated), so a half-finished number is never lost; the draft is
    removed when that person saves the answer. `base_revision` is the answer revision the form was opened at.
    """

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="drafts"
    )
    indicator = models.ForeignKey("frameworks.Indicator", verbose_name=_("indicator"), on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE)
    values = models.JSONField(_("values"), default=dict, blank=True)
    narrative_done = models.TextField(_("What has been done"), blank=True)
    narrative_todo = models.TextField(_("What has not been done yet"), blank=True)
    base_revision = models.PositiveIntegerField(_("based on revision"), default=0)
    saved_at = models.DateTimeField(_("saved at"), auto_now=True)

    class Meta:
        ordering = ["-saved_at"]
        verbose_name = _("answer draft")
        verbose_name_plural = _("answer drafts")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator", "user"],
                name="draft_one_per_user_answer",
                violation_error_message=_("You already have a draft of this indicator."),
            ),
        ]

    def __str__(self) -> str:
        return f"draft {self.assessment_id}/{self.indicator_id} {self.user_id}"


class AnswerEvidence(models.Model):
    """A piece of the region's evidence supporting one indicator of an assessment (or one of its data elements).

    `element_code` names the data element it supports; blank means the indicator as a whole (which satisfies
    the indicator's document element when it has exactly one). One evidence item can support several
    indicators; the same item is linked to the same element only once.
    """

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="evidence_links"
    )
    indicator = models.ForeignKey("frameworks.Indicator", verbose_name=_("indicator"), on_delete=models.PROTECT)
    evidence = models.ForeignKey(
        "evidence.Evidence", verbose_name=_("evidence"), on_delete=models.PROTECT, related_name="answer_links"
    )
    element_code = models.CharField(_("data element"), max_length=60, blank=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("linked by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        ordering = ["assessment_id", "indicator_id", "element_code", "linked_at", "pk"]
        verbose_name = _("evidence of an answer")
        verbose_name_plural = _("evidence of answers")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator", "evidence", "element_code"],
                name="answer_evidence_once_per_element",
                violation_error_message=_("This evidence already supports this item of the indicator."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.indicator_id}/{self.element_code or '*'} ← {self.evidence_id}"


# --- The question-level instrument (kla-2024) ----------------------------------------------------------------


class QuestionAnswer(models.Model):
    """The saved answer to one question of a question-level instrument (kla-2024), typed by its answer type.

    yes/no: `yes`; percentage: `years` = {"2024": {"numerator": "912", "denominator": "1000"}} (the percentage
    is computed from them, never typed); count: `years` = {"2024": {"count": "3"}}; list/text: `text`; MATRIKS:
    `matriks` = the rows read from the uploaded MATRIKS workbook (kept as evidence too). Numbers are decimal
    strings. `note` is the instrument's "catatan". `revision` rises by one on every save; a save names the
    revision it started from, so two people cannot overwrite each other silently.
    """

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="question_answers"
    )
    question = models.ForeignKey("frameworks.Question", verbose_name=_("question"), on_delete=models.PROTECT)
    yes = models.BooleanField(_("yes"), null=True, blank=True)
    years = models.JSONField(_("figures per year"), default=dict, blank=True)
    text = models.TextField(_("answer text"), blank=True)
    note = models.TextField(_("note (catatan)"), blank=True)
    matriks = models.JSONField(_("MATRIKS rows"), default=list, blank=True)
    # {"key", "source", "as_of", "url"} when the figures were taken unchanged from a register (prefill.py).
    provenance = models.JSONField(_("provenance"), default=dict, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["assessment_id", "question_id"]
        verbose_name = _("answer to a question")
        verbose_name_plural = _("answers to questions")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"],
                name="question_answer_one_per_question",
                violation_error_message=_("This question already has an answer."),
            ),
            models.CheckConstraint(
                condition=models.Q(revision__gte=1),
                name="question_answer_revision_positive",
                violation_error_message=_("An answer's revision number starts at 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}/q{self.question_id} r{self.revision}"


class QuestionEvidence(models.Model):
    """A piece of the region's evidence supporting one question of an assessment (its documents or its MATRIKS)."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="question_evidence"
    )
    question = models.ForeignKey("frameworks.Question", verbose_name=_("question"), on_delete=models.PROTECT)
    evidence = models.ForeignKey(
        "evidence.Evidence", verbose_name=_("evidence"), on_delete=models.PROTECT, related_name="question_links"
    )
    is_matriks = models.BooleanField(_("the question's MATRIKS"), default=False)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("linked by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        ordering = ["assessment_id", "question_id", "linked_at", "pk"]
        verbose_name = _("evidence of a question")
        verbose_name_plural = _("evidence of questions")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question", "evidence"],
                name="question_evidence_once",
                violation_error_message=_("This evidence already supports this question."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}/q{self.question_id} ← {self.evidence_id}"


class QuestionAssignment(models.Model):
    """Which OPD answers a question of an assessment (pre-selected from the question's data sources)."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="question_assignments"
    )
    question = models.ForeignKey("frameworks.Question", verbose_name=_("question"), on_delete=models.PROTECT)
    agency = models.ForeignKey("accounts.Agency", verbose_name=_("agency (OPD)"), on_delete=models.PROTECT)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now=True)

    class Meta:
        ordering = ["assessment_id", "question_id"]
        verbose_name = _("question assignment")
        verbose_name_plural = _("question assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"],
                name="question_assignment_one_per_question",
                violation_error_message=_("This question is already assigned; change its OPD instead."),
            ),
        ]

    def __str__(self) -> str:
        return f"q{self.question_id} → {self.agency}"


class DataSourceAgency(models.Model):
    """How a kab/kota maps a data source named by the instrument ("Dinkes", "DPPPAPPKB") to one of its OPDs.

    Kept by the region coordinator; it pre-selects the OPD of every question that names the source.
    """

    region = models.ForeignKey("regions.Region", verbose_name=_("regency/city"), on_delete=models.CASCADE)
    source = models.CharField(_("data source in the instrument"), max_length=120)
    agency = models.ForeignKey("accounts.Agency", verbose_name=_("agency (OPD)"), on_delete=models.CASCADE)

    class Meta:
        ordering = ["region_id", "source"]
        verbose_name = _("data source of an agency")
        verbose_name_plural = _("data sources of agencies")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "source"],
                name="data_source_one_agency_per_region",
                violation_error_message=_("This data source already has an agency in this region."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.source} → {self.agency}"
