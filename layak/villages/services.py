"""Business actions of Kelana/Dekela: provisioning operators, redeeming invitations. Checked, atomic, audited."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from layak.accounts.models import RoleAssignment, User
from layak.audit.services import audit_record
from layak.common.spreadsheets import ImportRejected
from layak.regions.choices import RegionLevel
from layak.regions.models import Region
from layak.registers.access import check_edit_register

from . import provisioning
from .choices import ROLE_OF_LEVEL
from .models import Invitation

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud and typed from paper
CODE_LENGTH = 12


def invitation_days() -> int:
    return int(getattr(settings, "LAYAK_INVITATION_DAYS", 30))


def invitation_code() -> str:
    """A fresh code in groups of four (XXXX-XXXX-XXXX), about 60 bits of randomness."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def invitation_hash(code: str) -> str:
    """The SHA-256 under which a code is stored: spaces, dashes and case do not matter when it is typed."""
    normal = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normal.encode()).hexdigest()


@dataclass(frozen=True)
class Issued:
    """An invitation with its code, which exists only in this object (the database keeps the hash)."""

    invitation: Invitation
    code: str
    region_name: str


@transaction.atomic
def operators_provision(*, user: User, region: Region, upload: Any) -> list[Issued]:
    """Issues an invitation for every filled row of the provisioning sheet of kab/kota `region`.

    The whole file is refused (ImportRejected with every row error, nothing created) when a code is not a
    kecamatan or desa/kelurahan of the region, a code appears twice, or a contact is missing or malformed.
    """
    check_edit_register(user, region)
    rows = provisioning.read_upload(upload)
    areas = {code: (level, name) for code, level, name in provisioning.area_rows(region)}
    levels = {code: level for code, (level, _name) in areas.items()}
    contacts, errors, seen = [], [], set()
    for row in rows:
        contact, row_errors = provisioning.row_contact(row, levels, region)
        errors += row_errors
        if contact is None:
            continue
        if contact.code in seen:
            twice = _("“%(code)s” appears twice; keep one row per area.") % {"code": contact.code}
            errors.append(row.error("code", twice))
        seen.add(contact.code)
        contacts.append(contact)
    if errors:
        raise ImportRejected(errors)
    if not contacts:
        raise ImportRejected(_("No row has an operator: fill the name and e-mail or phone of at least one area."))
    issued = _issue(user, region, contacts, {code: name for code, (_level, name) in areas.items()})
    audit_record(
        actor=user,
        verb="villages.operators_invited",
        target=region,
        region_code=region.code,
        summary=str(len(issued)),
        after={"codes": [i.invitation.region_id for i in issued]},
    )
    return issued


def _issue(user: User, region: Region, contacts: list[provisioning.Contact], names: dict[str, str]) -> list[Issued]:
    now = timezone.now()
    expires = now + timedelta(days=invitation_days())
    pairs = []
    for c in contacts:
        code = invitation_code()
        invitation = Invitation(
            kabkota=region,
            region_id=c.code,
            role=ROLE_OF_LEVEL[RegionLevel(c.level)],
            full_name=c.full_name,
            email=c.email,
            phone=c.phone,
            code_hash=invitation_hash(code),
            created_by=user,
            created_at=now,
            expires_at=expires,
        )
        pairs.append((invitation, code))
    Invitation.objects.bulk_create([inv for inv, _code in pairs], batch_size=500)
    return [Issued(inv, code, names[inv.region_id]) for inv, code in pairs]


def invitation_find(code: str) -> Invitation | None:
    """The open invitation with this code (not used, not expired), or None."""
    found = Invitation.objects.select_related("region").filter(code_hash=invitation_hash(code)).first()
    return found if found is not None and found.is_open else None


@transaction.atomic
def invitation_redeem(*, code: str, username: str, password: str) -> User:
    """Creates the operator's account from an open invitation and uses the invitation up (once only)."""
    invitation = (
        Invitation.objects.select_for_update().filter(code_hash=invitation_hash(code)).select_related("region").first()
    )
    if invitation is None or not invitation.is_open:
        raise ValidationError(
            {"code": _("This code is not valid: it is mistyped, already used or expired. Ask your DP3A for a new one.")}
        )
    username = username.strip()
    if not username:
        raise ValidationError({"username": _("Choose a username.")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken; choose another.")})
    user = User(username=username, full_name=invitation.full_name, email=invitation.email, phone=invitation.phone)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.save()
    RoleAssignment.objects.create(user=user, role=invitation.role, region=invitation.region)
    invitation.used_at = timezone.now()
    invitation.used_by = user
    invitation.save(update_fields=["used_at", "used_by"])
    audit_record(
        actor=user,
        verb="villages.invitation_redeemed",
        target=invitation,
        region_code=invitation.region_id,
        summary=invitation.region.name,
    )
    return user
