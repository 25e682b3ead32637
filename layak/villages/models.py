"""Kelana/Dekela: invitations for kecamatan and desa/kelurahan operators (their checklists follow)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import InvitationRole


class Invitation(models.Model):
    """A one-time code with which a kecamatan or desa/kelurahan operator creates their own account.

    The kab/kota coordinator issues invitations in bulk (from the provisioning sheet) and prints them; only the
    SHA-256 of the code is stored, so a code is shown once, on the page printed right after the upload. A code
    works once (`used_at`), until `expires_at`, and gives `role` over `region` (a kecamatan or desa of
    `kabkota`) to the person who redeems it.
    """

    kabkota = models.ForeignKey(
        "regions.Region", verbose_name=_("regency/city"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("district or village"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=32, choices=InvitationRole.choices)
    full_name = models.CharField(_("full name"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    code_hash = models.CharField(_("SHA-256 of the code"), max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("used by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["region_id", "-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["kabkota", "region"], name="invitation_kabkota_region")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(used_at__isnull=True, used_by__isnull=True)
                | models.Q(used_at__isnull=False, used_by__isnull=False),
                name="invitation_used_by_when_used",
                violation_error_message=_("A used invitation names who used it."),
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_issue",
                violation_error_message=_("An invitation expires after it is issued."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} · {self.get_role_display()}"

    @property
    def is_open(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()
