"""Verification of a submitted assessment: its review state, reviewers, per-stage indicator scores, revision
rounds, score snapshots per stage and the final predicate."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import REVIEW_STAGES, ObjectionDecision, ReviewState, ScoreStage, VisitMode


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
            models.UniqueConstraint(
                fields=["assessment", "stage"],
                name="snapshot_one_per_stage",
                violation_error_message=_("This stage already has a score for this assessment."),
            ),
            models.CheckConstraint(
                condition=models.Q(total__gte=0, total__lte=1000),
                name="snapshot_total_range",
                violation_error_message=_("A score is between 0 and 1000."),
            ),
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
    # Indexed: stamps read MAX(decided_at) (the cycle results table's, reports.selectors; the dashboards use a
    # generation counter since decision 0031).
    decided_at = models.DateTimeField(_("decided at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("final result")
        verbose_name_plural = _("final results")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=1000),
                name="final_score_range",
                violation_error_message=_("A final score is between 0 and 1000."),
            ),
            models.CheckConstraint(
                condition=models.Q(band_code=models.F("computed_band_code")) | ~models.Q(override_reason=""),
                name="final_override_needs_reason",
                violation_error_message=_("Give the reason for a predicate other than the bands give."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.score} {self.band_code}"

    @property
    def is_overridden(self) -> bool:
        return self.band_code != self.computed_band_code


class ReviewProcess(models.Model):
    """Where one submitted assessment stands in verification (one per assessment, created at submission).

    `state` moves only through `layak.reviews.workflow.TRANSITIONS`; `revision_round` counts the revision
    requests so far.
    """

    assessment = models.OneToOneField(
        "evaluations.Assessment", verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="review"
    )
    state = models.CharField(_("review state"), max_length=24, choices=ReviewState.choices)
    revision_round = models.PositiveSmallIntegerField(_("revision rounds"), default=0)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        indexes = [models.Index(fields=["state"], name="review_state")]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.state}"


class ReviewerAssignment(models.Model):
    """A national admin names a person to review one assessment at one verification stage."""

    assessment = models.ForeignKey(
        "evaluations.Assessment", verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="reviewers"
    )
    stage = models.CharField(_("stage"), max_length=12, choices=[(s.value, s.label) for s in REVIEW_STAGES])
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.CASCADE, related_name="review_duties"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        ordering = ["assessment_id", "stage", "reviewer_id"]
        verbose_name = _("reviewer assignment")
        verbose_name_plural = _("reviewer assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "stage", "reviewer"],
                name="reviewer_once_per_stage",
                violation_error_message=_("This person is already a reviewer of this stage."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.stage} {self.reviewer_id}"


class ConflictDeclaration(models.Model):
    """A reviewer's declared conflict of interest with a region (and everything in it); they cannot review it."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.CASCADE, related_name="conflicts"
    )
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    statement = models.TextField(_("statement"))
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        ordering = ["reviewer_id", "region_id"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "region"],
                name="conflict_once_per_region",
                violation_error_message=_("You already declared a conflict of interest with this region."),
            ),
            models.CheckConstraint(
                condition=~models.Q(statement=""),
                name="conflict_statement_required",
                violation_error_message=_("Describe the conflict of interest."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id} ↔ {self.region_id}"


class IndicatorReview(models.Model):
    """A reviewer's score of one indicator at one stage, when it differs from or confirms the previous stage's.

    `computed_points` is what the rubric gives for the region's data at the time; `previous_points` is the score
    the stage started from (the previous stage's verified score; the rubric's for the province stage); `points`
    is the reviewer's score (0 to the indicator's maximum). A score other than `previous_points` needs a
    `reason`. Indicators without a row keep the previous stage's score (scores carry forward).
    """

    assessment = models.ForeignKey(
        "evaluations.Assessment",
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="indicator_reviews",
    )
    stage = models.CharField(_("stage"), max_length=12, choices=[(s.value, s.label) for s in REVIEW_STAGES])
    indicator = models.ForeignKey("frameworks.Indicator", verbose_name=_("indicator"), on_delete=models.PROTECT)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
    computed_points = models.DecimalField(_("points from the rubric"), max_digits=7, decimal_places=2)
    previous_points = models.DecimalField(_("points from the previous stage"), max_digits=7, decimal_places=2)
    reason = models.TextField(_("reason for a different score"), blank=True)
    comment = models.TextField(_("comment"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Optimistic concurrency: each save adds one; a save carrying an older version is refused with both values.
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["assessment_id", "stage", "indicator_id"]
        verbose_name = _("indicator review")
        verbose_name_plural = _("indicator reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "stage", "indicator"],
                name="indicator_review_once",
                violation_error_message=_(
                    "This indicator already has a score at this stage; change that score instead."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(points__gte=0),
                name="indicator_review_points_nonnegative",
                violation_error_message=_("Points cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(points=models.F("previous_points")) | ~models.Q(reason=""),
                name="indicator_review_change_needs_reason",
                violation_error_message=_("Say why your score differs from the previous stage's."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.stage} {self.indicator_id} {self.points}"


class RevisionRequest(models.Model):
    """One revision round: a stage sends named indicators back to the region with a reason and a deadline.

    The region may change those indicators (and only those) until the deadline, then resubmits; the round stays
    in the history with `resubmitted_at`.
    """

    assessment = models.ForeignKey(
        "evaluations.Assessment", verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="revisions"
    )
    stage = models.CharField(_("stage"), max_length=12, choices=[(s.value, s.label) for s in REVIEW_STAGES])
    round = models.PositiveSmallIntegerField(_("round"))
    reason = models.TextField(_("reason"))
    deadline = models.DateTimeField(_("deadline"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    resubmitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resubmitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resubmitted_at = models.DateTimeField(_("resubmitted at"), null=True, blank=True)

    class Meta:
        ordering = ["assessment_id", "round"]
        verbose_name = _("revision request")
        verbose_name_plural = _("revision requests")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "round"],
                name="revision_round_unique",
                violation_error_message=_("This revision round already exists."),
            ),
            models.CheckConstraint(
                condition=~models.Q(reason=""),
                name="revision_reason_required",
                violation_error_message=_("Say what the region must fix."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} round {self.round} ({self.stage})"

    @property
    def is_open(self) -> bool:
        return self.resubmitted_at is None


class RevisionItem(models.Model):
    """One indicator sent back in a revision round, with what the region must fix."""

    request = models.ForeignKey(
        RevisionRequest, verbose_name=_("revision request"), on_delete=models.CASCADE, related_name="items"
    )
    indicator = models.ForeignKey("frameworks.Indicator", verbose_name=_("indicator"), on_delete=models.PROTECT)
    reason = models.TextField(_("what to fix"))

    class Meta:
        ordering = ["request_id", "indicator_id"]
        verbose_name = _("indicator to revise")
        verbose_name_plural = _("indicators to revise")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "indicator"],
                name="revision_item_once",
                violation_error_message=_("This indicator is already in this revision round."),
            ),
            models.CheckConstraint(
                condition=~models.Q(reason=""),
                name="revision_item_reason_required",
                violation_error_message=_("Say what the region must fix for each indicator."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.indicator_id}"


class EvidencePin(models.Model):
    """The exact file of one evidence link as it was handed to the reviewers.

    Submission pins every linked file (`round` 0); a resubmission after a revision round pins the files of the
    revised indicators again (`round` n) when they changed. Reviewers see the pinned file and download that
    version; earlier pins stay, so the timeline shows which version each stage graded. `file` is empty for a link
    to a document published elsewhere.
    """

    assessment = models.ForeignKey(
        "evaluations.Assessment", verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="evidence_pins"
    )
    indicator = models.ForeignKey("frameworks.Indicator", verbose_name=_("indicator"), on_delete=models.PROTECT)
    evidence = models.ForeignKey(
        "evidence.Evidence", verbose_name=_("evidence"), on_delete=models.PROTECT, related_name="pins"
    )
    element_code = models.CharField(_("data element"), max_length=60, blank=True)
    file = models.ForeignKey(
        "evidence.StoredFile", verbose_name=_("file"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.ForeignKey(
        "evidence.EvidenceVersion",
        verbose_name=_("version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    round = models.PositiveSmallIntegerField(_("revision round"), default=0)
    pinned_at = models.DateTimeField(_("pinned at"), auto_now_add=True)

    class Meta:
        ordering = ["assessment_id", "indicator_id", "evidence_id", "-round"]
        verbose_name = _("pinned evidence")
        verbose_name_plural = _("pinned evidence")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator", "evidence", "element_code", "round"],
                name="evidence_pin_once_per_round",
                violation_error_message=_("This evidence is already pinned for this round."),
            ),
        ]
        indexes = [models.Index(fields=["evidence"], name="evidence_pin_evidence")]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.indicator_id} ← {self.evidence_id} r{self.round}"


class QuestionGrade(models.Model):
    """A verifier's grade of one question of a question-level instrument (kla-2024) at one stage.

    `level` is a fraction of the question's maximum from the framework's scale ("0", "1/4" ... "1");
    `points` is what it gives; `previous_points` the question's points the stage started from (the previous
    stage's verified points, the self-score for the province). A grade other than `previous_points` needs a
    `reason`. `version` counts the saves (a save over someone else's newer grade is refused with both).
    """

    assessment = models.ForeignKey(
        "evaluations.Assessment", verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="question_grades"
    )
    stage = models.CharField(_("stage"), max_length=12, choices=[(s.value, s.label) for s in REVIEW_STAGES])
    question = models.ForeignKey("frameworks.Question", verbose_name=_("question"), on_delete=models.PROTECT)
    level = models.CharField(_("level"), max_length=8)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
    previous_points = models.DecimalField(_("points from the previous stage"), max_digits=7, decimal_places=2)
    reason = models.TextField(_("reason for a different grade"), blank=True)
    comment = models.TextField(_("comment"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["assessment_id", "stage", "question_id"]
        verbose_name = _("question grade")
        verbose_name_plural = _("question grades")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "stage", "question"],
                name="question_grade_once",
                violation_error_message=_("This question already has a grade at this stage; change that grade."),
            ),
            models.CheckConstraint(
                condition=models.Q(points__gte=0),
                name="question_grade_points_nonnegative",
                violation_error_message=_("Points cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(points=models.F("previous_points")) | ~models.Q(reason=""),
                name="question_grade_change_needs_reason",
                violation_error_message=_("Say why your grade differs from the previous stage's."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.stage} {self.question_id} {self.level}"


# --- The real process (decision 0022): field verification of selected regions, completion window, the
# province's hand-over letter, objections to the provisional results ---------------------------------------


class FieldVisit(models.Model):
    """The ministry selected this region's assessment for field verification (VLH), with the visit's agenda.

    Regions without a row go from the central review straight to finalisation. `version` counts the saves of
    the agenda (a save over a newer agenda is refused).
    """

    assessment = models.OneToOneField(
        "evaluations.Assessment", verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="field_visit"
    )
    selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("selected by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    selected_at = models.DateTimeField(_("selected at"), auto_now_add=True)
    visit_date = models.DateField(_("visit date"), null=True, blank=True)
    mode = models.CharField(_("online or on site"), max_length=8, choices=VisitMode.choices, blank=True)
    sites = models.TextField(_("sites to visit"), blank=True)
    team = models.TextField(_("verification team"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("field verification visit")
        verbose_name_plural = _("field verification visits")

    def __str__(self) -> str:
        return f"{self.assessment_id} VLH {self.visit_date or '-'}"

    @property
    def has_agenda(self) -> bool:
        return bool(self.visit_date and self.mode and self.sites.strip() and self.team.strip())


class ChildrenHearing(models.Model):
    """The record of a dialogue with children (Forum Anak) during field verification: aggregates only.

    Counts by age band and sex, the topics and a summary of what the children said; never names or anything
    that identifies a child. Seen only by the region and its reviewers.
    """

    visit = models.ForeignKey(FieldVisit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="hearings")
    held_on = models.DateField(_("date of the dialogue"))
    girls_under_13 = models.PositiveSmallIntegerField(_("girls aged 12 or younger"), default=0)
    boys_under_13 = models.PositiveSmallIntegerField(_("boys aged 12 or younger"), default=0)
    girls_13_to_17 = models.PositiveSmallIntegerField(_("girls aged 13 to 17"), default=0)
    boys_13_to_17 = models.PositiveSmallIntegerField(_("boys aged 13 to 17"), default=0)
    topics = models.TextField(_("topics"))
    summary = models.TextField(_("what the children said (summary)"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["visit_id", "held_on", "pk"]
        verbose_name = _("dialogue with children")
        verbose_name_plural = _("dialogues with children")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(topics="") & ~models.Q(summary=""),
                name="hearing_topics_and_summary",
                violation_error_message=_("Write the topics and a summary of what the children said."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visit_id} {self.held_on}"

    @property
    def children(self) -> int:
        return self.girls_under_13 + self.boys_under_13 + self.girls_13_to_17 + self.boys_13_to_17


class CompletionWindow(models.Model):
    """After the field visit, the team names questions the region may complete with documents, until a deadline
    (2x24 hours by default). `round` continues the assessment's revision rounds, so the evidence added is pinned
    as that round."""

    assessment = models.ForeignKey(
        "evaluations.Assessment",
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="completion_windows",
    )
    round = models.PositiveSmallIntegerField(_("round"))
    note = models.TextField(_("what the region must complete"))
    closes_at = models.DateTimeField(_("closes at"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    class Meta:
        ordering = ["assessment_id", "round"]
        verbose_name = _("completion window")
        verbose_name_plural = _("completion windows")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "round"],
                name="completion_round_unique",
                violation_error_message=_("This round already has a completion window."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} completion r{self.round}"


class CompletionItem(models.Model):
    """One question the field team named in a completion window, with the document it asks for."""

    window = models.ForeignKey(
        CompletionWindow, verbose_name=_("completion window"), on_delete=models.CASCADE, related_name="items"
    )
    question = models.ForeignKey("frameworks.Question", verbose_name=_("question"), on_delete=models.PROTECT)
    reason = models.TextField(_("document asked for"))

    class Meta:
        ordering = ["window_id", "question_id"]
        verbose_name = _("question to complete")
        verbose_name_plural = _("questions to complete")
        constraints = [
            models.UniqueConstraint(
                fields=["window", "question"],
                name="completion_item_once",
                violation_error_message=_("This question is already named in the completion window."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.window_id} q{self.question_id}"


class HandoverLetter(models.Model):
    """The province's hand-over of a verified assessment to the ministry, with the governor's letter (surat
    gubernur) as a file of the province's evidence. Replaceable until handed over; frozen afterwards (the pinned
    `version` is what the ministry received)."""

    assessment = models.OneToOneField(
        "evaluations.Assessment", verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="handover"
    )
    evidence = models.ForeignKey(
        "evidence.Evidence", verbose_name=_("letter"), on_delete=models.PROTECT, related_name="handovers"
    )
    version = models.ForeignKey(
        "evidence.EvidenceVersion",
        verbose_name=_("version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField(_("letter number"), max_length=120)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed over by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)

    class Meta:
        verbose_name = _("hand-over to the ministry")
        verbose_name_plural = _("hand-overs to the ministry")

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.number}"


class ObjectionPeriod(models.Model):
    """The window in which a region may object to its provisional results (opened when they are announced)."""

    assessment = models.OneToOneField(
        "evaluations.Assessment",
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="objection_period",
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closes_at = models.DateTimeField(_("closes at"))
    done_at = models.DateTimeField(_("region finished objecting at"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection period")
        verbose_name_plural = _("objection periods")

    def __str__(self) -> str:
        return f"{self.assessment_id} until {self.closes_at}"


class Objection(models.Model):
    """A region's objection (sanggah) to the provisional grade of one question, with its reason and evidence,
    and the ministry's decision with its reason (accepted: the question's final points change)."""

    assessment = models.ForeignKey(
        "evaluations.Assessment", verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="objections"
    )
    question = models.ForeignKey("frameworks.Question", verbose_name=_("question"), on_delete=models.PROTECT)
    reason = models.TextField(_("reason for the objection"))
    evidence = models.ForeignKey(
        "evidence.Evidence",
        verbose_name=_("evidence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objections",
    )
    provisional_points = models.DecimalField(_("provisional points"), max_digits=7, decimal_places=2)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("filed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=ObjectionDecision.choices, default=ObjectionDecision.PENDING
    )
    level = models.CharField(_("level decided"), max_length=8, blank=True)
    points = models.DecimalField(_("points decided"), max_digits=7, decimal_places=2, null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["assessment_id", "question_id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"],
                name="objection_once_per_question",
                violation_error_message=_("This question already has an objection."),
            ),
            models.CheckConstraint(
                condition=~models.Q(reason=""),
                name="objection_reason_required",
                violation_error_message=_("Say why the region objects."),
            ),
            models.CheckConstraint(
                condition=models.Q(decision="pending") | ~models.Q(decision_reason=""),
                name="objection_decision_needs_reason",
                violation_error_message=_("Give the reason for the decision."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} q{self.question_id} {self.decision}"
