from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import NATIONAL_SCOPE_ROLES, REQUIRED_REGION_LEVEL, Role


class User(AbstractUser):
    """A person who signs in. What they may see and do comes from their role assignments."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)


class Agency(models.Model):
    """An OPD (organisasi perangkat daerah): a regional government agency such as Dinas Kesehatan or Bappeda.

    OPDs own indicators in the self-assessment; each belongs to one kab/kota (or province).
    """

    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("A deactivated OPD is no longer offered for new assignments or accounts; its work stays."),
    )

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("agency (OPD)")
        verbose_name_plural = _("agencies (OPD)")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="agency_unique_name_per_region",
                violation_error_message=_("This region already has an OPD with this name."),
            )
        ]

    def __str__(self) -> str:
        name = self.short_name or self.name
        return name if self.is_active else str(_("%(name)s (deactivated)") % {"name": name})


class RoleAssignment(models.Model):
    """Gives a user one role over a region subtree (the region and everything below it).

    A national admin, independent evaluator or viewer without a region acts nationally. An OPD contributor
    also names the agency whose indicators they fill.
    """

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT
    )
    agency = models.ForeignKey(Agency, verbose_name=_("agency (OPD)"), null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        ordering = ["user_id", "role"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region", "agency"],
                name="role_assignment_unique",
                violation_error_message=_("This person already has this role here."),
            ),
        ]

    def __str__(self) -> str:
        where = self.region.name if self.region_id else _("Indonesia")
        return f"{self.user} · {self.get_role_display()} · {where}"

    def clean(self) -> None:
        level = REQUIRED_REGION_LEVEL.get(self.role)
        if self.region_id is None and self.role not in NATIONAL_SCOPE_ROLES:
            raise ValidationError({"region": _("This role needs a region.")})
        if level and self.region_id and self.region.level != level:
            raise ValidationError({"region": _level_message(level)})
        if self.role == Role.OPD_CONTRIBUTOR and self.agency_id is None:
            raise ValidationError({"agency": _("An OPD contributor must belong to an agency.")})
        if self.agency_id and self.region_id and self.agency.region_id != self.region_id:
            raise ValidationError({"agency": _("The agency must belong to the same region.")})


def _level_message(level: int) -> str:
    messages = {
        1: _("This role needs a province."),
        2: _("This role needs a regency/city."),
        3: _("This role needs a district (kecamatan)."),
        4: _("This role needs a village (desa/kelurahan)."),
    }
    return str(messages[level])


class TokenScope(models.TextChoices):
    """What an API token may do, chosen when it is made."""

    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class ApiToken(models.Model):
    """A personal key for the JSON API (`Authorization: Bearer <key>`), acting as its owner with their roles.

    Only the SHA-256 of the key is stored; the key itself is shown once, when it is created. `prefix` is the
    key's first characters, so the owner can tell their tokens apart. A revoked token never works again.
    """

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    key_hash = models.CharField(_("SHA-256 of the key"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key prefix"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    scope = models.CharField(_("scope"), max_length=5, choices=TokenScope.choices, default=TokenScope.READ)
    # Tokens made before expiry existed have none; every new token expires.
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()
