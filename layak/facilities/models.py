"""Child-friendly facilities of a kab/kota, each in its desa/kelurahan, with the certification lifecycle of its kind,
the totals the instrument's percentages divide by, and Kaltara zones (named sets of facilities close together).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from layak.registers.models import evidence_file

from .choices import SchoolLevel, Status
from .kinds import catalogue

# A box around Indonesia (Sabang to Merauke, Miangas to Rote): a point outside it is refused.
LAT_MIN, LAT_MAX, LON_MIN, LON_MAX = -11.5, 6.5, 94.5, 141.5


class Facility(models.Model):
    """A school, Puskesmas, playground, information centre... of a kind in `data/facilities/kinds.json`."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("regency/city"), on_delete=models.PROTECT, related_name="facilities"
    )
    desa = models.ForeignKey(
        "regions.Region", verbose_name=_("village (desa/kelurahan)"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    npsn = models.CharField(
        _("NPSN"), max_length=8, blank=True, help_text=_("The school's national number (8 digits).")
    )
    school_level = models.CharField(_("school level"), max_length=3, choices=SchoolLevel.choices, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("owner agency (OPD)"), null=True, blank=True, on_delete=models.PROTECT
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decree_number = models.CharField(_("decree (SK) number"), max_length=120, blank=True)
    decree_date = models.DateField(_("decree date"), null=True, blank=True)
    decree_issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    decree_file = evidence_file(_("decree or certificate"))
    ended_on = models.DateField(_("expired or revoked on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["region_id", "kind", "name"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        indexes = [
            models.Index(fields=["region", "kind", "status"], name="facility_region_kind_status"),
            models.Index(fields=["desa", "kind"], name="facility_desa_kind"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "npsn"],
                condition=~models.Q(npsn=""),
                name="facility_unique_npsn",
                violation_error_message=_("A facility with this NPSN is already registered."),
            ),
            models.UniqueConstraint(
                Lower("name"),
                "desa",
                "kind",
                name="facility_unique_name_desa_kind",
                violation_error_message=_("This desa/kelurahan already has a facility of this kind with this name."),
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(
                    latitude__gte=LAT_MIN,
                    latitude__lte=LAT_MAX,
                    longitude__gte=LON_MIN,
                    longitude__lte=LON_MAX,
                ),
                name="facility_point_in_indonesia",
                violation_error_message=_("The point must have both a latitude and a longitude inside Indonesia."),
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(decree_date__isnull=True)
                | models.Q(valid_until__gte=models.F("decree_date")),
                name="facility_valid_after_decree",
                violation_error_message=_("A certificate cannot expire before its decree date."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status=Status.CERTIFIED)
                | (~models.Q(decree_number="") & models.Q(decree_date__isnull=False)),
                name="facility_certified_has_decree",
                violation_error_message=_("A certified facility needs its decree number and date."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("facilities:facility_detail", args=[self.pk])

    @property
    def kind_name(self) -> str:
        return catalogue().name(self.kind)

    @property
    def certifiable(self) -> bool:
        kind = catalogue().kinds.get(self.kind)
        return bool(kind and kind.certifiable)

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class CertificationStep(models.Model):
    """One step of a facility's certification (proposed, assessed, certified, expired, revoked), with its evidence."""

    facility = models.ForeignKey(Facility, verbose_name=_("facility"), on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    date = models.DateField(_("date"))
    decree_number = models.CharField(_("decree (SK) number"), max_length=120, blank=True)
    decree_issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    evidence = evidence_file(_("evidence"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["facility_id", "date", "pk"]
        verbose_name = _("certification step")
        verbose_name_plural = _("certification steps")

    def __str__(self) -> str:
        return f"{self.facility_id} {self.status} {self.date}"


class FacilityTotal(models.Model):
    """How many facilities of a kind (and school level) the kab/kota has in all, with its source: the denominator of
    the instrument's percentages (SRA per level, PRAP)."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("regency/city"), on_delete=models.PROTECT, related_name="facility_totals"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20)
    school_level = models.CharField(_("school level"), max_length=3, choices=SchoolLevel.choices, blank=True)
    total = models.PositiveIntegerField(_("total"))
    source = models.CharField(_("source"), max_length=300)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        ordering = ["region_id", "-year", "kind", "school_level"]
        verbose_name = _("facility total")
        verbose_name_plural = _("facility totals")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "kind", "school_level"],
                name="facility_total_unique",
                violation_error_message=_("This total is already recorded for the year; change it instead."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year} {self.kind} {self.school_level}: {self.total}"

    @property
    def kind_name(self) -> str:
        return catalogue().name(self.kind)


class Zone(models.Model):
    """A Kawasan Layanan Terintegrasi Ramah Anak (Kaltara): a named set of facilities within walking distance of
    each other that together cover the service kinds the zone requires."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("regency/city"), on_delete=models.PROTECT, related_name="facility_zones"
    )
    name = models.CharField(_("name"), max_length=200)
    walking_distance_m = models.PositiveIntegerField(_("walking distance (m)"), default=1000)
    required_kinds = models.JSONField(_("required kinds"), default=list)
    members = models.ManyToManyField(Facility, verbose_name=_("facilities"), related_name="zones", blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("Kaltara zone")
        verbose_name_plural = _("Kaltara zones")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="facility_zone_unique_name",
                violation_error_message=_("This region already has a zone with this name."),
            ),
            models.CheckConstraint(
                condition=models.Q(walking_distance_m__gte=50, walking_distance_m__lte=20000),
                name="facility_zone_distance_range",
                violation_error_message=_("A zone's walking distance is between 50 m and 20 km."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("facilities:zone_detail", args=[self.pk])
