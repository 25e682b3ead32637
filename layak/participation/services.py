"""Business actions on Forum Anak: forums, their activities and children's inputs with follow-up.

Checked (the kab/kota's coordinator), atomic and audited. Only aggregate numbers of children are stored.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from layak.accounts.models import User
from layak.audit.services import audit_record
from layak.common import plausibility
from layak.regions.models import Region
from layak.registers.access import check_edit_register

from .choices import InputStatus
from .models import ChildInput, Forum, ForumActivity

FORUM_FIELDS = ("name", "region", "established_on", "sk_number", "active", "member_count")


def _clean_forum(kabkota: Region, fields: dict[str, Any], pk: int | None = None) -> None:
    region = fields["region"]
    if not kabkota.contains(region.code) or region.level < 2:
        raise ValidationError(
            _("Choose %(kabkota)s itself or one of its kecamatan or desa/kelurahan.") % {"kabkota": kabkota},
            code="region",
        )
    fields["name"] = fields["name"].strip()
    if not fields["name"]:
        raise ValidationError(_("Enter the forum's name."), code="name")
    if Forum.objects.filter(region=region, name__iexact=fields["name"]).exclude(pk=pk or 0).exists():
        raise ValidationError(_("%(region)s already has a forum of that name.") % {"region": region}, code="duplicate")
    plausibility.check(
        plausibility.happened(fields.get("established_on"), "established_on"),
        plausibility.at_most(fields.get("member_count"), "forum_members", "member_count"),
    )


@transaction.atomic
def forum_create(
    *,
    user: User,
    kabkota: Region,
    region: Region,
    name: str,
    established_on: datetime.date | None = None,
    sk_number: str = "",
    active: bool = True,
    member_count: int = 0,
    is_demo: bool = False,
) -> Forum:
    """Records a Forum Anak of the kab/kota, one of its kecamatan or one of its desa/kelurahan."""
    check_edit_register(user, kabkota)
    fields = {
        "name": name,
        "region": region,
        "established_on": established_on,
        "sk_number": sk_number.strip(),
        "active": active,
        "member_count": member_count,
    }
    _clean_forum(kabkota, fields)
    forum = Forum.objects.create(kabkota=kabkota, level=region.level, is_demo=is_demo, **fields)
    audit_record(
        actor=user,
        verb="forum.created",
        target=forum,
        region_code=kabkota.code,
        summary=forum.name,
        after={"level": forum.level, "region": region.code},
    )
    return forum


@transaction.atomic
def forum_update(*, user: User, forum: Forum, **fields: Any) -> Forum:
    """Changes a forum's name, region, SK, status or number of members."""
    check_edit_register(user, forum.kabkota)
    merged = {name: fields.get(name, getattr(forum, name)) for name in FORUM_FIELDS}
    _clean_forum(forum.kabkota, merged, forum.pk)
    before = {name: str(getattr(forum, name)) for name in FORUM_FIELDS}
    for name, value in merged.items():
        setattr(forum, name, value)
    forum.level = forum.region.level
    forum.save()
    audit_record(
        actor=user,
        verb="forum.updated",
        target=forum,
        region_code=forum.kabkota_id,
        summary=forum.name,
        before=before,
        after={name: str(getattr(forum, name)) for name in FORUM_FIELDS},
    )
    return forum


@transaction.atomic
def forum_activity_create(
    *, user: User, forum: Forum, date: datetime.date, title: str, kind: str, summary: str = "", children_count: int = 0
) -> ForumActivity:
    """Records a forum activity with the number of children taking part (no names)."""
    check_edit_register(user, forum.kabkota)
    if not title.strip():
        raise ValidationError(_("Enter the activity's title."), code="title")
    plausibility.check(
        plausibility.happened(date, "date"),
        plausibility.ordered(
            forum.established_on, date, "date", _("The activity cannot come before the forum was founded.")
        ),
        plausibility.at_most(children_count, "children_in_activity", "children_count"),
    )
    activity = ForumActivity.objects.create(
        forum=forum, date=date, title=title.strip(), kind=kind, summary=summary.strip(), children_count=children_count
    )
    audit_record(
        actor=user, verb="forum.activity_created", target=activity, region_code=forum.kabkota_id, summary=title
    )
    return activity


@transaction.atomic
def child_input_create(
    *,
    user: User,
    forum: Forum,
    date: datetime.date,
    channel: str,
    text: str,
    status: str = InputStatus.SUBMITTED,
    follow_up: str = "",
) -> ChildInput:
    """Records children's input to a policy or a Musrenbang."""
    check_edit_register(user, forum.kabkota)
    if not text.strip():
        raise ValidationError(_("Write down the children's input."), code="text")
    plausibility.check(plausibility.happened(date, "date"))
    child_input = ChildInput.objects.create(
        forum=forum, date=date, channel=channel, text=text.strip(), status=status, follow_up=follow_up.strip()
    )
    audit_record(
        actor=user,
        verb="forum.input_created",
        target=child_input,
        region_code=forum.kabkota_id,
        summary=child_input.get_channel_display(),
        after={"status": status},
    )
    return child_input


@transaction.atomic
def child_input_follow_up(*, user: User, child_input: ChildInput, status: str, follow_up: str = "") -> ChildInput:
    """Records what became of an input: accepted, partly accepted or rejected, with notes."""
    check_edit_register(user, child_input.forum.kabkota)
    if status != InputStatus.SUBMITTED and not follow_up.strip():
        raise ValidationError(_("Say how the input was followed up."), code="follow_up")
    before = {"status": child_input.status}
    child_input.status = status
    child_input.follow_up = follow_up.strip()
    child_input.save(update_fields=["status", "follow_up", "updated_at"])
    audit_record(
        actor=user,
        verb="forum.input_followed_up",
        target=child_input,
        region_code=child_input.forum.kabkota_id,
        summary=child_input.get_status_display(),
        before=before,
        after={"status": status},
    )
    return child_input
