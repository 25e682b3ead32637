"""Business actions on partners, their contributions and commitment signings: checked, atomic, audited."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from layak.accounts.models import User
from layak.audit.services import audit_record
from layak.common import plausibility
from layak.evidence.services import evidence_create_from_upload
from layak.frameworks.models import Indicator
from layak.regions.models import Region
from layak.registers.access import check_edit_register

from .choices import PartnerKind
from .models import Commitment, Contribution, Partner

PARTNER_FIELDS = ("name", "kind", "apsai_member", "apsai_since", "description")


def _clean_partner(region: Region, fields: dict[str, Any], pk: int | None = None) -> None:
    name = fields.get("name", "").strip()
    if not name:
        raise ValidationError(_("Enter the partner's name."), code="name")
    if Partner.objects.filter(region=region, name__iexact=name).exclude(pk=pk or 0).exists():
        raise ValidationError(_("%(name)s is already a partner of this region.") % {"name": name}, code="duplicate")
    if fields.get("kind") != PartnerKind.BUSINESS and fields.get("apsai_member"):
        raise ValidationError(_("Only a business can be an APSAI member."), code="apsai")
    if fields.get("apsai_since") and not fields.get("apsai_member"):
        raise ValidationError(
            {"apsai_member": _("You gave an APSAI-member-since date: tick “APSAI member” too, or clear the date.")}
        )
    plausibility.check(plausibility.happened(fields.get("apsai_since"), "apsai_since"))
    fields["name"] = name


@transaction.atomic
def partner_create(
    *,
    user: User,
    region: Region,
    name: str,
    kind: str,
    apsai_member: bool = False,
    apsai_since: datetime.date | None = None,
    description: str = "",
    is_demo: bool = False,
) -> Partner:
    """Records an organisation working with the kab/kota on children's rights."""
    check_edit_register(user, region)
    fields = {"name": name, "kind": kind, "apsai_member": apsai_member, "apsai_since": apsai_since}
    _clean_partner(region, fields)
    partner = Partner.objects.create(region=region, description=description.strip(), is_demo=is_demo, **fields)
    audit_record(actor=user, verb="partner.created", target=partner, region_code=region.code, summary=partner.name)
    return partner


@transaction.atomic
def partner_update(*, user: User, partner: Partner, **fields: Any) -> Partner:
    """Changes a partner's name, kind, APSAI membership or description."""
    check_edit_register(user, partner.region)
    merged = {name: fields.get(name, getattr(partner, name)) for name in PARTNER_FIELDS}
    _clean_partner(partner.region, merged, partner.pk)
    before = {name: str(getattr(partner, name)) for name in PARTNER_FIELDS}
    for name, value in merged.items():
        setattr(partner, name, value)
    partner.save()
    after = {name: str(getattr(partner, name)) for name in PARTNER_FIELDS}
    audit_record(
        actor=user,
        verb="partner.updated",
        target=partner,
        region_code=partner.region_id,
        summary=partner.name,
        before=before,
        after=after,
    )
    return partner


@transaction.atomic
def contribution_create(
    *,
    user: User,
    partner: Partner,
    date: datetime.date,
    type: str,
    description: str,
    facility_count: int = 0,
    value: Decimal | None = None,
    indicator: Indicator | None = None,
) -> Contribution:
    """Records what a partner contributed on a date (facilities, a programme, a publication...)."""
    check_edit_register(user, partner.region)
    if value is not None and value < 0:
        raise ValidationError(_("The value cannot be negative."), code="value")
    if not description.strip():
        raise ValidationError(_("Describe the contribution."), code="description")
    plausibility.check(
        plausibility.happened(date, "date"), plausibility.at_most(facility_count, "facilities", "facility_count")
    )
    contribution = Contribution.objects.create(
        partner=partner,
        date=date,
        type=type,
        description=description.strip(),
        facility_count=facility_count,
        value=value,
        indicator=indicator,
    )
    audit_record(
        actor=user,
        verb="partner.contribution_created",
        target=contribution,
        region_code=partner.region_id,
        summary=f"{partner.name}: {contribution.get_type_display()}",
        after={"facilities": facility_count},
    )
    return contribution


@transaction.atomic
def commitment_create(
    *,
    user: User,
    region: Region,
    kind: str,
    date: datetime.date,
    title: str,
    signatories: str,
    upload: Any = None,
) -> Commitment:
    """Records a kesepakatan or deklarasi signed with partners; the signed document goes to the evidence library."""
    check_edit_register(user, region)
    if not signatories.strip():
        raise ValidationError(_("List who signed, one per line."), code="signatories")
    plausibility.check(plausibility.happened(date, "date"))
    document = evidence_create_from_upload(user=user, region=region, upload=upload, title=title) if upload else None
    commitment = Commitment.objects.create(
        region=region, kind=kind, date=date, title=title.strip(), signatories=signatories.strip(), document=document
    )
    audit_record(
        actor=user, verb="partner.commitment_created", target=commitment, region_code=region.code, summary=title
    )
    return commitment
