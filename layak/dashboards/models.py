"""Published KLA history (as the press and government reported it) and the targets provinces set themselves.

Layak's own evaluation results live in `evaluations` and `reviews`; the models here never mix with them:
`PublishedNationalCount` and `PublishedRegionResult` are loaded from `data/history/*.yaml` by `load_history`
and are always shown as "history, as published", each row with its sources and a confidence mark.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from layak.frameworks.choices import Certainty


def note_in_language(english: str, indonesian: str) -> str:
    """A history note in the page's language (Indonesian unless English is active), the other when one is empty."""
    if translation.get_language() == "en":
        return english or indonesian
    return indonesian or english


class PublishedNationalCount(models.Model):
    """The national result of one past KLA award year as published: kab/kota awarded in total and per predikat.

    A count the sources do not give is NULL (never guessed). `provila` counts the provinces awarded (Pelopor)
    Provinsi Layak Anak; `provila_provinces` lists the province codes the sources name. `sources` is a list of
    {"ref", "title", "url"} from the domain reference.
    """

    year = models.PositiveSmallIntegerField(_("award year"), unique=True)
    total = models.PositiveIntegerField(_("kab/kota awarded"), null=True, blank=True)
    utama = models.PositiveIntegerField("Utama", null=True, blank=True)
    nindya = models.PositiveIntegerField("Nindya", null=True, blank=True)
    madya = models.PositiveIntegerField("Madya", null=True, blank=True)
    pratama = models.PositiveIntegerField("Pratama", null=True, blank=True)
    provila = models.PositiveIntegerField(_("Provila provinces"), null=True, blank=True)
    provila_provinces = models.JSONField(_("Provila province codes"), default=list, blank=True)
    ceremony = models.CharField(_("ceremony"), max_length=200, blank=True)
    confidence = models.CharField(_("confidence"), max_length=8, choices=Certainty.choices)
    note = models.TextField(_("note"), blank=True)
    note_id = models.TextField(_("note (Indonesian)"), blank=True)
    sources = models.JSONField(_("sources"), default=list)

    class Meta:
        ordering = ["year"]
        verbose_name = _("published national count")
        verbose_name_plural = _("published national counts")

    def __str__(self) -> str:
        return f"{self.year}: {self.total}"

    @property
    def display_note(self) -> str:
        return note_in_language(self.note, self.note_id)

    def band_counts(self) -> dict[str, int | None]:
        return {"utama": self.utama, "nindya": self.nindya, "madya": self.madya, "pratama": self.pratama}


class PublishedRegionResult(models.Model):
    """One kab/kota's predikat in a past award year as published, with the score where a source reports one."""

    region = models.ForeignKey("regions.Region", verbose_name=_("regency/city"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("award year"))
    band_code = models.CharField(_("predicate"), max_length=20)
    score = models.DecimalField(_("reported score"), max_digits=7, decimal_places=2, null=True, blank=True)
    confidence = models.CharField(_("confidence"), max_length=8, choices=Certainty.choices)
    note = models.TextField(_("note"), blank=True)
    note_id = models.TextField(_("note (Indonesian)"), blank=True)
    sources = models.JSONField(_("sources"), default=list)

    class Meta:
        ordering = ["region_id", "year"]
        verbose_name = _("published region result")
        verbose_name_plural = _("published region results")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"],
                name="published_result_one_per_year",
                violation_error_message=_("This region already has a published result for that year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year} {self.band_code}"

    @property
    def display_note(self) -> str:
        return note_in_language(self.note, self.note_id)


class ProvinceTarget(models.Model):
    """The goal a province sets itself: every kab/kota at `band_code` or above by `year` (one per province).

    Set by the province's coordinator (or a national admin) through `province_target_set`, which audits it.
    """

    province = models.OneToOneField(
        "regions.Region", verbose_name=_("province"), on_delete=models.CASCADE, related_name="kla_target"
    )
    band_code = models.CharField(_("predicate"), max_length=20)
    year = models.PositiveSmallIntegerField(_("by the year"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(_("set at"), auto_now=True)

    class Meta:
        verbose_name = _("province target")
        verbose_name_plural = _("province targets")

    def __str__(self) -> str:
        return f"{self.province_id}: {self.band_code} by {self.year}"
