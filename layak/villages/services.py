"""Business actions of Kelana/Dekela: provisioning operators, redeeming invitations. Checked, atomic, audited."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from layak.accounts.models import RoleAssignment, User
from layak.accounts.selectors import Viewer, user_grants
from layak.audit.services import audit_record
from layak.common.spreadsheets import ImportRejected
from layak.evaluations.choices import Stage
from layak.evaluations.models import Cycle
from layak.evaluations.selectors import stage_is_open
from layak.evidence.models import Evidence
from layak.frameworks.models import Question
from layak.notifications.choices import NotificationKind
from layak.notifications.services import notify
from layak.regions.choices import RegionLevel
from layak.regions.models import Region
from layak.registers.access import can_edit_register, check_edit_register

from . import provisioning
from .choices import ROLE_OF_LEVEL
from .models import Checklist, ChecklistAnswer, Invitation

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


# --- Checklists -----------------------------------------------------------------------------------------------


def can_answer(user: Viewer, region: Region) -> bool:
    """The area's own operator (a desa operator for a desa, a kecamatan operator for a kecamatan), the kab/kota
    coordinator (entering on the area's behalf) and national admins. A camat reads its desa, never answers."""
    role = ROLE_OF_LEVEL.get(RegionLevel(region.level)) if region.level in ROLE_OF_LEVEL else None
    if role is None:
        return False
    own = any(g.role == role and g.region_code == region.code for g in user_grants(user))
    return own or can_edit_register(user, region.code)


def can_verify(user: Viewer, region: Region) -> bool:
    """The kab/kota coordinator (and national admins) verify a kecamatan's or desa's checklist."""
    return can_edit_register(user, region.code)


def _check_answer(user: User, region: Region) -> None:
    if not can_answer(user, region):
        raise PermissionDenied(
            _("Only the operator of %(area)s or the regency/city's KLA coordinator can answer this checklist.")
            % {"area": region.name}
        )


def _kabkota_code(region: Region) -> str:
    return ".".join(region.code.split(".")[:2])


def _checklist_for_update(cycle: Cycle, region: Region, *, is_demo: bool = False) -> Checklist:
    if not stage_is_open(cycle, Stage.SELF_ASSESSMENT, _kabkota_code(region)):
        raise ValidationError(
            _("The self-assessment of %(cycle)s is not open; the checklist of %(area)s cannot change now.")
            % {"cycle": cycle.name, "area": region.name}
        )
    checklist, _created = Checklist.objects.select_for_update().get_or_create(
        cycle=cycle,
        region=region,
        defaults={"kabkota_id": _kabkota_code(region), "level": region.level, "is_demo": is_demo},
    )
    if checklist.verified_at is not None:
        raise ValidationError(
            _("The checklist of %(area)s is verified; ask the regency/city's coordinator to reopen it.")
            % {"area": region.name}
        )
    return checklist


def _check_question(cycle: Cycle, region: Region, question: Question) -> None:
    flag = question.for_kecamatan if region.level == RegionLevel.KECAMATAN else question.for_desa
    if question.indicator.version_id != cycle.framework_id or not flag:
        raise ValidationError(_("This question is not on the checklist of %(area)s.") % {"area": region.name})


@transaction.atomic
def checklist_answer_save(
    *,
    user: User,
    cycle: Cycle,
    region: Region,
    question: Question,
    value: bool | None,
    note: str = "",
    source: str = "",
    is_demo: bool = False,
) -> ChecklistAnswer:
    """Saves the area's answer to one question (the autosave and the plain form both call this), audited."""
    _check_answer(user, region)
    _check_question(cycle, region, question)
    note = note.strip()
    if len(note) > 2000:
        raise ValidationError({"note": _("The note is too long: use at most 2000 characters.")})
    checklist = _checklist_for_update(cycle, region, is_demo=is_demo)
    answer = ChecklistAnswer.objects.filter(checklist=checklist, question=question).first()
    before = {"value": answer.value, "note": answer.note} if answer else None
    if answer is None:
        answer = ChecklistAnswer(checklist=checklist, question=question)
    answer.checklist = checklist  # its signal bumps the checklist's page without reading it again
    answer.value, answer.note, answer.source = value, note, source[:300]
    answer.answered_by, answer.answered_at = user, timezone.now()
    answer.save()
    checklist.save(update_fields=["updated_at"])  # the checklist's stamp: its cached list shows the new answer
    audit_record(
        actor=user,
        verb="villages.answer_saved",
        target=answer,
        region_code=region.code,
        summary=f"{region.name} · {question.full_code}",
        before=before,
        after={"value": value, "note": note},
    )
    return answer


@transaction.atomic
def checklist_evidence_attach(
    *, user: User, cycle: Cycle, region: Region, question: Question, evidence: Evidence
) -> ChecklistAnswer:
    """Links a document of the area's evidence library to its answer (the answer stays as it was)."""
    _check_answer(user, region)
    _check_question(cycle, region, question)
    if evidence.region_id != region.code:
        raise ValidationError(_("This document belongs to another area."))
    checklist = _checklist_for_update(cycle, region)
    answer, _created = ChecklistAnswer.objects.get_or_create(
        checklist=checklist, question=question, defaults={"answered_by": user}
    )
    answer.checklist, answer.evidence = checklist, evidence
    answer.save(update_fields=["evidence"])
    checklist.save(update_fields=["updated_at"])
    audit_record(
        actor=user,
        verb="villages.evidence_attached",
        target=answer,
        region_code=region.code,
        summary=f"{region.name} · {question.full_code}",
        after={"evidence": evidence.pk},
    )
    return answer


@transaction.atomic
def checklist_submit(*, user: User, cycle: Cycle, region: Region) -> Checklist:
    """Hands the area's checklist to the kab/kota: every question must have a yes or a no."""
    _check_answer(user, region)
    checklist = _checklist_for_update(cycle, region)
    total = Question.objects.filter(
        indicator__version_id=cycle.framework_id,
        **({"for_kecamatan": True} if region.level == RegionLevel.KECAMATAN else {"for_desa": True}),
    ).count()
    answered = ChecklistAnswer.objects.filter(checklist=checklist, value__isnull=False).count()
    if answered < total:
        raise ValidationError(
            _("Answer every question with yes or no before sending: %(left)s of %(total)s are still open.")
            % {"left": total - answered, "total": total}
        )
    checklist.submitted_at, checklist.submitted_by = timezone.now(), user
    checklist.save(update_fields=["submitted_at", "submitted_by", "updated_at"])
    audit_record(
        actor=user, verb="villages.checklist_submitted", target=checklist, region_code=region.code, summary=region.name
    )
    return checklist


@transaction.atomic
def checklist_verify(*, user: User, checklist: Checklist) -> Checklist:
    """The kab/kota coordinator confirms a submitted checklist against its evidence."""
    region = checklist.region
    if not can_verify(user, region):
        raise PermissionDenied(_("Only the regency/city's KLA coordinator can verify a checklist."))
    if checklist.submitted_at is None:
        raise ValidationError(_("The checklist of %(area)s is not submitted yet.") % {"area": region.name})
    if checklist.verified_at is not None:
        raise ValidationError(_("The checklist of %(area)s is already verified.") % {"area": region.name})
    checklist.verified_at, checklist.verified_by = timezone.now(), user
    checklist.save(update_fields=["verified_at", "verified_by", "updated_at"])
    audit_record(
        actor=user, verb="villages.checklist_verified", target=checklist, region_code=region.code, summary=region.name
    )
    return checklist


REOPEN_REASON_MAX = 2000


@transaction.atomic
def checklist_reopen(*, user: User, checklist: Checklist, reason: str) -> Checklist:
    """Whoever verifies checklists (the kab/kota coordinator, national admins) hands a verified checklist back to
    its operator, saying why: it is neither sent nor verified any more (it leaves the roll-up and the progress
    counts until it is sent again) and its answers can change while the self-assessment is open. Audited."""
    region = checklist.region
    if not can_verify(user, region):
        raise PermissionDenied(_("Only the regency/city's KLA coordinator can reopen a checklist."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the checklist is reopened: the operator reads it.")})
    if len(reason) > REOPEN_REASON_MAX:
        raise ValidationError({"reason": _("The reason is too long: use at most 2000 characters.")})
    checklist = Checklist.objects.select_for_update().get(pk=checklist.pk)
    if checklist.verified_at is None:
        raise ValidationError(
            _("The checklist of %(area)s is not verified; there is nothing to reopen.") % {"area": region.name}
        )
    if not stage_is_open(checklist.cycle, Stage.SELF_ASSESSMENT, _kabkota_code(region)):
        raise ValidationError(
            _("The self-assessment of %(cycle)s is not open; a reopened checklist could not be changed.")
            % {"cycle": checklist.cycle.name}
        )
    before = {
        "submitted_at": checklist.submitted_at.isoformat() if checklist.submitted_at else None,
        "verified_at": checklist.verified_at.isoformat(),
        "verified_by": checklist.verified_by_id,
    }
    checklist.submitted_at = checklist.submitted_by = checklist.verified_at = checklist.verified_by = None
    checklist.reopened_at, checklist.reopened_by, checklist.reopen_reason = timezone.now(), user, reason
    checklist.save(
        update_fields=[
            "submitted_at",
            "submitted_by",
            "verified_at",
            "verified_by",
            "reopened_at",
            "reopened_by",
            "reopen_reason",
            "updated_at",
        ]
    )
    audit_record(
        actor=user,
        verb="villages.checklist_reopened",
        target=checklist,
        region_code=region.code,
        summary=region.name,
        before=before,
        after={"reason": reason},
    )
    return checklist


@transaction.atomic
def checklist_remind(*, user: User, cycle: Cycle, region: Region) -> int:
    """Notifies the operators of every kecamatan and desa of kab/kota `region` that has not submitted yet."""
    check_edit_register(user, region)
    submitted = Checklist.objects.filter(cycle=cycle, kabkota=region, submitted_at__isnull=False).values("region_id")
    operators = (
        RoleAssignment.objects.filter(role__in=list(ROLE_OF_LEVEL.values()), region__code__startswith=f"{region.code}.")
        .exclude(region_id__in=submitted)
        .values_list("user_id", flat=True)
    )
    params = {"region": region.name, "cycle": cycle.name}
    sent = notify(
        users=list(operators),
        kind=NotificationKind.CHECKLIST_REMINDER,
        url=reverse("villages:my_areas"),
        params=params,
    )
    audit_record(actor=user, verb="villages.reminded", target=region, region_code=region.code, summary=str(sent))
    return sent
