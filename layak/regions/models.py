from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import RegionKind, RegionLevel


class RegionQuerySet(models.QuerySet["Region"]):
    def in_subtree(self, code: str) -> RegionQuerySet:
        """The region with this code and every region below it (the dotted code is the tree path)."""
        return self.filter(models.Q(code=code) | models.Q(code__startswith=f"{code}."))


class Region(models.Model):
    """A Kemendagri administrative region: province, kabupaten/kota, kecamatan or desa/kelurahan.

    The primary key is the dotted Kemendagri code (`63`, `63.71`, `63.71.01`, `63.71.01.1001`), so the
    code is also the path from the root: a region's subtree is every code that starts with its code and a dot.
    """

    code = models.CharField(_("Kemendagri code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    # Lower-cased name for case-insensitive search that can use an index on every database.
    search_name = models.CharField(max_length=120, db_index=True, editable=False)
    level = models.PositiveSmallIntegerField(_("level"), choices=RegionLevel.choices, db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    point_source = models.CharField(_("source of the point"), max_length=200, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4),
                name="region_level_range",
                violation_error_message=_("A region's level is 1 (province) to 4 (village)."),
            ),
            models.CheckConstraint(
                condition=models.Q(level=1, parent__isnull=True) | models.Q(level__gt=1, parent__isnull=False),
                name="region_parent_matches_level",
                violation_error_message=_("A province has no parent region; every other region has one."),
            ),
        ]
        indexes = [models.Index(fields=["parent", "code"], name="region_parent_code")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("regions:region_detail", args=[self.code])

    @property
    def is_kabkota(self) -> bool:
        return self.level == RegionLevel.KABKOTA

    def ancestor_codes(self) -> list[str]:
        """Codes from the province down to the parent: `63.71.01` -> [`63`, `63.71`]."""
        parts = self.code.split(".")
        return [".".join(parts[:i]) for i in range(1, len(parts))]

    def contains(self, code: str) -> bool:
        """True if the region with `code` is this region or lies below it."""
        return code == self.code or code.startswith(f"{self.code}.")


class RegionDataset(models.Model):
    """What `load_regions` last loaded from a source: the data's SHA-256 and the row count per level.

    A re-run that finds the same fingerprint and the same counts in the Region table has nothing to do and
    returns at once; `counts` maps the level number (as a string, JSON keys) to the rows the source holds.
    """

    source = models.CharField(_("source"), max_length=40, unique=True)
    version = models.CharField(_("source version"), max_length=40, blank=True)
    sha256 = models.CharField(_("SHA-256 of the source data"), max_length=64)
    counts = models.JSONField(_("rows per level"), default=dict)
    loaded_at = models.DateTimeField(_("loaded at"))

    class Meta:
        verbose_name = _("region dataset")
        verbose_name_plural = _("region datasets")

    def __str__(self) -> str:
        return f"{self.source} {self.version} ({self.sha256[:12]})"
