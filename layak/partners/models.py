"""Partners of the KLA policy in a kab/kota: businesses (APSAI), NGOs and media, what they contributed and when,
and the commitments they signed (kesepakatan/deklarasi). They feed the involvement indicator (kla-2021 K3).
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import CommitmentKind, ContributionType, PartnerKind


class Partner(models.Model):
    """A business, NGO, media outlet or other organisation working with the kab/kota on children's rights.

    A business may be a member of APSAI (Asosiasi Perusahaan Sahabat Anak Indonesia) since a date.
    """

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("regency/city"), on_delete=models.PROTECT, related_name="partners"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=PartnerKind.choices)
    apsai_member = models.BooleanField(_("APSAI member"), default=False)
    apsai_since = models.DateField(_("APSAI member since"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="partner_unique_name_per_region",
                violation_error_message=_("This region already has a partner with this name."),
            ),
            models.CheckConstraint(
                condition=models.Q(apsai_member=False) | models.Q(kind=PartnerKind.BUSINESS),
                name="partner_apsai_only_business",
                violation_error_message=_("Only a business can be an APSAI member."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:partner_detail", args=[self.pk])


class Contribution(models.Model):
    """Something a partner gave or did on a date: facilities (count), a CSR programme, a publication..."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="contributions"
    )
    date = models.DateField(_("date"))
    type = models.CharField(_("type"), max_length=20, choices=ContributionType.choices)
    description = models.CharField(_("description"), max_length=500)
    facility_count = models.PositiveIntegerField(
        _("number of facilities"), default=0, help_text=_("For rooms, corners and spaces: how many.")
    )
    value = models.DecimalField(_("value (Rp)"), max_digits=18, decimal_places=2, null=True, blank=True)
    indicator = models.ForeignKey(
        "frameworks.Indicator", verbose_name=_("indicator"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["partner_id", "-date", "-pk"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        indexes = [models.Index(fields=["type", "date"], name="contribution_type_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(value__gte=0),
                name="contribution_value_nonnegative",
                violation_error_message=_("The value cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} {self.date} {self.type}"


class Commitment(models.Model):
    """A commitment signed with partners (kesepakatan or deklarasi): who signed, when, and the signed document."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("regency/city"), on_delete=models.PROTECT, related_name="commitments"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=CommitmentKind.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=300)
    signatories = models.TextField(_("signatories"), help_text=_("One per line, as written on the document."))
    document = models.ForeignKey(
        "evidence.Evidence", verbose_name=_("signed document"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["region_id", "-date", "-pk"]
        verbose_name = _("commitment signing")
        verbose_name_plural = _("commitment signings")

    def __str__(self) -> str:
        return self.title
