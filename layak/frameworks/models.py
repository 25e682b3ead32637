"""KLA indicator frameworks as versioned reference data.

version -> group (kelembagaan, klaster I-V) -> indicator -> data elements, with a scoring rubric per indicator
and the predicate bands of the version. Loaded from `data/frameworks/*.yaml` by `load_frameworks`.
"""

from __future__ import annotations

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .choices import AnswerType, Certainty, ElementType, VersionStatus
from .units import unit_label
from .validation import computed_register


class TranslatedNameMixin:
    """Framework texts are Indonesian; an English name may be given and is shown when English is active."""

    name: str
    name_en: str

    @property
    def display_name(self) -> str:
        if self.name_en and translation.get_language() == "en":
            return self.name_en
        return self.name

    @property
    def display_description(self) -> str:
        """The description in the active language (for models with `description` and `description_en`)."""
        english = getattr(self, "description_en", "")
        if english and translation.get_language() == "en":
            return english
        return getattr(self, "description", "")


class FrameworkVersion(TranslatedNameMixin, models.Model):
    """One version of the KLA indicator instrument (for example the 2011 Permen or the 24-indicator set).

    Its indicators' maxima sum to 1000. The official weights are not public, so shipped weights are marked
    provisional. A cycle freezes the version it uses (`frozen_at`); later edits go into a clone.
    """

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    weights_provisional = models.BooleanField(_("provisional weights"), default=True)
    weights_note = models.TextField(_("note on the weights"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    derived_from = models.ForeignKey(
        "self", verbose_name=_("cloned from"), null=True, blank=True, on_delete=models.SET_NULL, related_name="clones"
    )
    source_file = models.CharField(_("source file"), max_length=200, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    # How sure the sources are about the version as a whole ("likely" for the transcribed 2024 instrument).
    certainty = models.CharField(_("certainty"), max_length=8, choices=Certainty.choices, blank=True)
    certainty_note = models.TextField(_("note on the certainty"), blank=True)
    # How the version's disagreeing sums were resolved (kla-2024), shown in the framework browser.
    sums_rule = models.TextField(_("rule for the sums"), blank=True)
    default_for_new_cycles = models.BooleanField(_("default for new cycles"), default=False)
    # Set on an older version when a newer file says it supersedes it (kla-2024 supersedes kla-2021): the older
    # one stays loadable for past cycles and is labelled as such.
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "slug"]
        verbose_name = _("framework version")
        verbose_name_plural = _("framework versions")

    def __str__(self) -> str:
        return f"{self.name} ({self.slug})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("frameworks:version_detail", args=[self.slug])

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def is_question_level(self) -> bool:
        """True for an instrument answered question by question (kla-2024); False for element/rubric versions.

        Read from the `has_questions` annotation or attribute when a selector set it; otherwise one query.
        """
        known = getattr(self, "has_questions", None)
        if known is not None:
            return bool(known)
        if self.frozen_at is not None:  # a frozen version never changes: asked once per process
            key = (self.pk, self.frozen_at)
            if key not in _FROZEN_QUESTION_LEVEL:
                _FROZEN_QUESTION_LEVEL[key] = Question.objects.filter(indicator__version=self).exists()
            return _FROZEN_QUESTION_LEVEL[key]
        return Question.objects.filter(indicator__version=self).exists()


# Whether a frozen version is question-level, by (pk, frozen_at): frozen versions never change.
_FROZEN_QUESTION_LEVEL: dict[tuple[int, object], bool] = {}


class IndicatorGroup(TranslatedNameMixin, models.Model):
    """Kelembagaan (code K) or one of the five clusters (I-V) within a version."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(_("code"), max_length=8)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # The group maximum the instrument states, when it differs from the sum of its indicators (kla-2024's
    # Klaster I states 150, its indicators sum to 115); the sum counts, this is shown beside it.
    stated_max_points = models.DecimalField(
        _("stated maximum points"), max_digits=7, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["version_id", "order"]
        verbose_name = _("indicator group")
        verbose_name_plural = _("indicator groups")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"],
                name="group_unique_code_per_version",
                violation_error_message=_("This framework version already has a group with this code."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class Indicator(TranslatedNameMixin, models.Model):
    """One KLA indicator with its maximum points and the rubric that turns its data into points.

    `rubric` is a list of criteria: `{"element": code, "share": 0..1, "method": ..., ...}`; shares sum to 1
    and the scoring engine (`layak.scoring.engine`) evaluates it. `certainty` flags names the sources
    do not settle (REFERENCE.md §2.3).
    """

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="indicators")
    group = models.ForeignKey(IndicatorGroup, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=12)
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=400)
    name_en = models.CharField(_("name (English)"), max_length=400, blank=True)
    certainty = models.CharField(_("certainty of the name"), max_length=8, choices=Certainty.choices)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    max_points = models.DecimalField(_("maximum points"), max_digits=7, decimal_places=2)
    rubric = models.JSONField(_("scoring rubric"), default=list)
    responsible_agencies = models.JSONField(_("usual responsible agencies (OPD)"), default=list, blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["version_id", "order"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"],
                name="indicator_unique_code_per_version",
                violation_error_message=_("This framework version already has an indicator with this code."),
            ),
            models.CheckConstraint(
                condition=models.Q(max_points__gte=0),
                name="indicator_max_points_nonnegative",
                violation_error_message=_("An indicator's maximum points cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class DataElement(models.Model):
    """One typed item of data an indicator asks for, with unit, bounds and the evidence usually requested.

    `denominator` names another element of the same indicator that this count may never exceed
    (a numerator such as "children with a birth certificate" against "children aged 0-18").
    `computed_key` names the value a register of the region can fill it with (`taskforces.meetings_per_year`;
    the known keys are `validation.KNOWN_COMPUTED_KEYS`, the providers `layak.evaluations.prefill`).
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="elements")
    code = models.CharField(_("code"), max_length=60)
    label = models.CharField(_("label"), max_length=400)
    label_en = models.CharField(_("label (English)"), max_length=400, blank=True)
    type = models.CharField(_("type"), max_length=12, choices=ElementType.choices)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    min_value = models.DecimalField(_("minimum"), max_digits=14, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField(_("maximum"), max_digits=14, decimal_places=4, null=True, blank=True)
    required = models.BooleanField(_("required"), default=False)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    denominator = models.CharField(_("denominator element"), max_length=60, blank=True)
    evidence_hint = models.CharField(_("evidence usually asked"), max_length=400, blank=True)
    help_text = models.TextField(_("help"), blank=True)
    computed_key = models.CharField(_("computed from"), max_length=60, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["indicator_id", "order"]
        verbose_name = _("data element")
        verbose_name_plural = _("data elements")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "code"],
                name="element_unique_code_per_indicator",
                violation_error_message=_("This indicator already has a data element with this code."),
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def display_label(self) -> str:
        if self.label_en and translation.get_language() == "en":
            return self.label_en
        return self.label

    @property
    def display_unit(self) -> str:
        """The unit in the page's language (see `layak.frameworks.words.UNITS`)."""
        return unit_label(self.unit)

    @property
    def computed_register(self) -> str:
        """The register that can fill this element ("the Gugus Tugas register"), or "" when none can."""
        return computed_register(self.computed_key)


class Question(models.Model):
    """One question of a question-level instrument (kla-2024): its exact text, maximum and how it is answered.

    `max_points` is what the question counts for (the indicator's questions sum to the indicator's maximum);
    `instrument_max_points` is the instrument's own figure, which differs only where the version's sums rule
    scaled it (kla-2024 indicators 19 and 21B). `data_sources` are the agency names as the instrument writes
    them; `years_asked` is 2 when a percentage or count is asked for the last two years. `lower_is_better`
    marks questions where a lower figure (stunting, infant deaths) or "no" (cigarette sponsorship) is good.
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="questions"
    )
    code = models.CharField(_("code"), max_length=12)
    text = models.TextField(_("question"))
    max_points = models.DecimalField(_("maximum points"), max_digits=7, decimal_places=2)
    instrument_max_points = models.DecimalField(_("maximum in the instrument"), max_digits=7, decimal_places=2)
    answer_type = models.CharField(_("answer type"), max_length=12, choices=AnswerType.choices)
    data_sources = models.JSONField(_("data sources (agencies)"), default=list, blank=True)
    for_kecamatan = models.BooleanField(_("answered by every kecamatan"), default=False)
    for_desa = models.BooleanField(_("answered by every desa/kelurahan"), default=False)
    years_asked = models.PositiveSmallIntegerField(_("years asked"), default=1)
    asks_matriks = models.BooleanField(_("asks for a MATRIKS"), default=False)
    asks_evidence = models.BooleanField(_("asks for supporting documents"), default=False)
    lower_is_better = models.BooleanField(_("lower is better"), default=False)
    computed_key = models.CharField(_("computed from"), max_length=60, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["indicator_id", "order"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "code"],
                name="question_unique_code_per_indicator",
                violation_error_message=_("This indicator already has a question with this code."),
            ),
            models.CheckConstraint(
                condition=models.Q(max_points__gte=0) & models.Q(instrument_max_points__gte=0),
                name="question_max_points_nonnegative",
                violation_error_message=_("A question's maximum points cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(years_asked__gte=1) & models.Q(years_asked__lte=5),
                name="question_years_asked_range",
                violation_error_message=_("A question asks for between one and five years."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.text[:80]}"

    @property
    def full_code(self) -> str:
        """The code as the instrument cites it: indicator code and question code ("19.2a")."""
        return f"{self.indicator.code}.{self.code}"

    @property
    def is_scaled(self) -> bool:
        return self.max_points != self.instrument_max_points

    @property
    def computed_register(self) -> str:
        return computed_register(self.computed_key)


class PredicateBand(TranslatedNameMixin, models.Model):
    """A predicate (Pratama ... KLA) and its score range, as data of the version.

    A score belongs to the lowest band whose `upper` it does not exceed, provided it reaches the lowest
    band's `lower`: with Pratama 500-600 and Madya 601-700, 600.01 is Madya.
    """

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="bands")
    code = models.SlugField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60, blank=True)
    lower = models.DecimalField(_("lower bound"), max_digits=7, decimal_places=2)
    upper = models.DecimalField(_("upper bound"), max_digits=7, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["version_id", "order"]
        verbose_name = _("predicate band")
        verbose_name_plural = _("predicate bands")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"],
                name="band_unique_code_per_version",
                violation_error_message=_("This framework version already has a predicate with this code."),
            ),
            models.CheckConstraint(
                condition=models.Q(upper__gte=models.F("lower")),
                name="band_upper_not_below_lower",
                violation_error_message=_("A predicate's upper bound cannot be below its lower bound."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.lower}-{self.upper})"
