"""Every write of the facility register: checked, atomic, audited. Pages, imports and the demo call these."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from layak.accounts.models import Agency, User
from layak.audit.services import audit_record
from layak.common import plausibility
from layak.evidence.services import evidence_create_from_upload
from layak.regions.choices import RegionLevel
from layak.regions.models import Region
from layak.registers.access import check_edit_register

from .choices import IRREVERSIBLE, TRANSITIONS, SchoolLevel, Status
from .geo import distance_m
from .kinds import catalogue
from .models import LAT_MAX, LAT_MIN, LON_MAX, LON_MIN, CertificationStep, Facility, FacilityTotal, Zone
from .selectors import EXPIRY_WARNING_DAYS

NPSN = re.compile(r"^\d{8}$")
# A facility's point may lie at most this far from its kab/kota's seat (when the seat is known): the largest
# kabupaten (in Papua) reach about 250 km from their seat. Without boundaries this is a plausibility check only.
MAX_FROM_SEAT_KM = 250
FACILITY_FIELDS = ("name", "address", "npsn", "school_level", "latitude", "longitude", "agency", "desa")


def check_point(region: Region, latitude: Decimal | None, longitude: Decimal | None) -> dict[str, str]:
    """{field: message} when the point is half given, outside Indonesia or far from the kab/kota's seat."""
    if latitude is None and longitude is None:
        return {}
    if latitude is None or longitude is None:
        return {"latitude": _("Give both the latitude and the longitude, or neither.")}
    if not (LAT_MIN <= latitude <= LAT_MAX and LON_MIN <= longitude <= LON_MAX):
        return {
            "latitude": _("The point %(lat)s, %(lon)s is outside Indonesia; check the numbers (latitude first).")
            % {"lat": latitude, "lon": longitude}
        }
    if region.latitude is not None and region.longitude is not None:
        km = distance_m(float(latitude), float(longitude), float(region.latitude), float(region.longitude)) / 1000
        if km > MAX_FROM_SEAT_KM:
            return {
                "latitude": _("The point is %(km)s km from %(region)s: it cannot be in this regency/city.")
                % {"km": round(km), "region": region.name}
            }
    return {}


def _desa(region: Region, desa: Region | str | None) -> Region:
    code = desa.code if isinstance(desa, Region) else (desa or "").strip()
    found = desa if isinstance(desa, Region) else Region.objects.filter(code=code).first()
    if found is None or found.level != RegionLevel.DESA or not region.contains(found.code):
        raise ValidationError(
            {"desa": _("“%(code)s” is not a desa/kelurahan of %(region)s.") % {"code": code, "region": region.name}}
        )
    return found


def _clean(region: Region, kind: str, fields: dict[str, Any], pk: int | None = None) -> dict[str, Any]:
    """The facility's fields checked and tidied; one ValidationError listing every problem."""
    entry = catalogue().kinds.get(kind)
    if entry is None:
        raise ValidationError({"kind": _("Choose a kind of facility from the list.")})
    name = (fields.get("name") or "").strip()
    npsn = (fields.get("npsn") or "").strip()
    level = fields.get("school_level") or ""
    problems: dict[str, str] = {}
    if not name:
        problems["name"] = _("Enter the facility's name.")
    if npsn and not NPSN.match(npsn):
        problems["npsn"] = _("An NPSN has 8 digits.")
    if entry.school_levels and level not in SchoolLevel.values:
        problems["school_level"] = _("Choose the school level (TK/RA, SD/MI, SMP/MTs, SMA/MA/SMK or SLB).")
    if not entry.school_levels and level:
        problems["school_level"] = _("A school level applies to schools only.")
    problems.update(check_point(region, fields.get("latitude"), fields.get("longitude")))
    desa = _desa(region, fields.get("desa"))
    others = Facility.objects.filter(region=region).exclude(pk=pk or 0)
    if npsn and others.filter(npsn=npsn).exists():
        problems["npsn"] = _("A facility with NPSN %(npsn)s is already registered.") % {"npsn": npsn}
    if name and others.filter(desa=desa, kind=kind, name__iexact=name).exists():
        problems["name"] = _("%(desa)s already has a facility of this kind named “%(name)s”.") % {
            "desa": desa.name,
            "name": name,
        }
    agency = fields.get("agency")
    if agency is not None and agency.region_id != region.code:
        problems["agency"] = _("Choose an agency (OPD) of this regency/city.")
    plausibility.check(problems)
    return {**fields, "name": name, "npsn": npsn, "school_level": level, "desa": desa}


def _record_step(user: User | None, facility: Facility, status: str, date: datetime.date, **extra: Any) -> None:
    CertificationStep.objects.create(facility=facility, status=status, date=date, recorded_by=user, **extra)


@transaction.atomic
def facility_create(
    *,
    user: User,
    region: Region,
    kind: str,
    name: str,
    desa: Region | str,
    address: str = "",
    npsn: str = "",
    school_level: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    agency: Agency | None = None,
    proposed_on: datetime.date | None = None,
    is_demo: bool = False,
) -> Facility:
    """Registers a facility in one of the kab/kota's desa; a certifiable kind starts as proposed (today, or on
    `proposed_on`)."""
    check_edit_register(user, region)
    plausibility.check(plausibility.happened(proposed_on, "proposed_on"))
    fields = _clean(
        region,
        kind,
        {
            "name": name,
            "desa": desa,
            "address": address.strip(),
            "npsn": npsn,
            "school_level": school_level,
            "latitude": latitude,
            "longitude": longitude,
            "agency": agency,
        },
    )
    status = Status.PROPOSED if catalogue().kinds[kind].certifiable else Status.LISTED
    facility = Facility.objects.create(
        region=region, kind=kind, status=status, is_demo=is_demo, created_by=user, **fields
    )
    if status == Status.PROPOSED:
        _record_step(user, facility, status, proposed_on or timezone.localdate())
    audit_record(
        actor=user,
        verb="facility.created",
        target=facility,
        region_code=region.code,
        summary=facility.name,
        after={"kind": kind, "desa": facility.desa_id},
    )
    return facility


@transaction.atomic
def facility_update(*, user: User, facility: Facility, **changes: Any) -> Facility:
    """Changes a facility's name, address, NPSN, level, point, agency or desa (not its kind or status)."""
    check_edit_register(user, facility.region)
    merged = {name: changes.get(name, getattr(facility, name)) for name in FACILITY_FIELDS}
    fields = _clean(facility.region, facility.kind, merged, facility.pk)
    before = {name: str(getattr(facility, name) or "") for name in FACILITY_FIELDS}
    for name, value in fields.items():
        setattr(facility, name, value)
    facility.save()
    after = {name: str(getattr(facility, name) or "") for name in FACILITY_FIELDS}
    audit_record(
        actor=user,
        verb="facility.updated",
        target=facility,
        region_code=facility.region_id,
        summary=facility.name,
        before={k: v for k, v in before.items() if v != after[k]},
        after={k: v for k, v in after.items() if v != before[k]},
    )
    return facility


def transition_problems(facility: Facility, to: str) -> str:
    """Why the facility cannot take this step ("" when it can)."""
    if not facility.certifiable:
        return _("A %(kind)s has no certificate, so it has no certification steps.") % {"kind": facility.kind_name}
    if to not in TRANSITIONS.get(facility.status, ()):
        return _("A facility that is %(status)s cannot become %(to)s.") % {
            "status": facility.get_status_display().lower(),
            "to": str(Status(to).label).lower(),
        }
    return ""


@transaction.atomic
def facility_transition(
    *,
    user: User,
    facility: Facility,
    to: str,
    date: datetime.date,
    note: str = "",
    decree_number: str = "",
    decree_issuer: str = "",
    valid_until: datetime.date | None = None,
    upload: Any = None,
) -> Facility:
    """Takes one certification step (assessed, certified with its decree, expired, revoked, proposed again),
    with its date and evidence. Expiry and revocation end the certificate: the page asks before."""
    check_edit_register(user, facility.region)
    facility = Facility.objects.select_for_update().select_related("region").get(pk=facility.pk)
    problem = transition_problems(facility, to)
    if problem:
        raise ValidationError(problem, code="transition")
    decree_number, note = decree_number.strip(), note.strip()
    problems = dict(plausibility.happened(date, "date"))
    if to == Status.CERTIFIED:
        if not decree_number:
            problems["decree_number"] = _("Enter the decree (SK) number of the certificate.")
        problems.update(
            plausibility.ordered(
                date, valid_until, "valid_until", _("The certificate cannot expire before its decree date.")
            )
        )
    if to == Status.REVOKED and not note:
        problems["note"] = _("Say why the certificate was revoked.")
    last = facility.steps.order_by("-date", "-pk").values_list("date", flat=True).first()
    if last and date < last:
        problems["date"] = _("The step cannot be dated before the previous one (%(date)s).") % {"date": last}
    plausibility.check(problems)
    before = {"status": facility.status}
    evidence = None
    if upload:
        title = f"{facility.name}: {Status(to).label}"
        evidence = evidence_create_from_upload(
            user=user,
            region=facility.region,
            upload=upload,
            title=title,
            document_number=decree_number,
            document_date=date,
            valid_until=valid_until,
        )
    facility.status = to
    if to == Status.CERTIFIED:
        facility.decree_number, facility.decree_date = decree_number, date
        facility.decree_issuer, facility.valid_until = decree_issuer.strip(), valid_until
        facility.decree_file, facility.ended_on = evidence, None
    elif to in IRREVERSIBLE:
        facility.ended_on = date
    elif to == Status.PROPOSED:
        facility.decree_number, facility.decree_date, facility.decree_issuer = "", None, ""
        facility.valid_until, facility.decree_file, facility.ended_on = None, None, None
    facility.save()
    _record_step(
        user,
        facility,
        to,
        date,
        note=note,
        decree_number=decree_number if to == Status.CERTIFIED else "",
        decree_issuer=decree_issuer.strip() if to == Status.CERTIFIED else "",
        valid_until=valid_until if to == Status.CERTIFIED else None,
        evidence=evidence,
    )
    audit_record(
        actor=user,
        verb="facility.status_changed",
        target=facility,
        region_code=facility.region_id,
        summary=facility.name,
        before=before,
        after={"status": to, "date": date.isoformat(), "decree": decree_number},
    )
    return facility


def renewal_is_early(facility: Facility, today: datetime.date | None = None) -> bool:
    """A certificate still in force beyond the 90-day warning (or with no end date): renewing it now replaces a
    certificate in force, so the person says they mean it."""
    today = today or timezone.localdate()
    return facility.valid_until is None or facility.valid_until > today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)


@transaction.atomic
def facility_renew(
    *,
    user: User,
    facility: Facility,
    date: datetime.date,
    decree_number: str,
    valid_until: datetime.date | None,
    decree_issuer: str = "",
    upload: Any = None,
    replace_in_force: bool = False,
) -> Facility:
    """Renews a certified facility's certificate in one step: the new decree (number, date, issuer, end date and
    file) becomes the facility's certificate; the old one stays in the certification history as it was. A
    certificate not yet in its expiry warning is replaced only with `replace_in_force`."""
    check_edit_register(user, facility.region)
    facility = Facility.objects.select_for_update().select_related("region").get(pk=facility.pk)
    if not facility.certifiable or facility.status != Status.CERTIFIED:
        raise ValidationError(_("Only a certified facility's certificate can be renewed."), code="renewal")
    decree_number, decree_issuer = decree_number.strip(), decree_issuer.strip()
    problems = dict(plausibility.happened(date, "date"))
    if not decree_number:
        problems["decree_number"] = _("Enter the decree (SK) number of the new certificate.")
    elif decree_number == facility.decree_number and date == facility.decree_date:
        problems["decree_number"] = _("This is the certificate already recorded; enter the new decree.")
    if valid_until is None:
        problems["valid_until"] = _("Enter until when the new certificate is valid.")
    problems.update(
        plausibility.ordered(
            date, valid_until, "valid_until", _("The certificate cannot expire before its decree date.")
        )
    )
    if valid_until is not None and facility.valid_until is not None and valid_until <= facility.valid_until:
        problems["valid_until"] = _("A renewal runs past the current certificate, which is valid until %(date)s.") % {
            "date": facility.valid_until.strftime("%d/%m/%Y")
        }
    if facility.decree_date is not None and date < facility.decree_date:
        problems["date"] = _("The new decree cannot be dated before the current one (%(date)s).") % {
            "date": facility.decree_date.strftime("%d/%m/%Y")
        }
    last = facility.steps.order_by("-date", "-pk").values_list("date", flat=True).first()
    if last and date < last:
        problems.setdefault("date", _("The step cannot be dated before the previous one (%(date)s).") % {"date": last})
    if renewal_is_early(facility) and not replace_in_force:
        problems["replace_in_force"] = (
            _("The current certificate is valid until %(date)s: tick the box to replace it now.")
            % {"date": facility.valid_until.strftime("%d/%m/%Y")}
            if facility.valid_until
            else _("The current certificate has no end date: tick the box to replace it now.")
        )
    plausibility.check(problems)
    before = {
        "decree": facility.decree_number,
        "decree_date": facility.decree_date.isoformat() if facility.decree_date else "",
        "valid_until": facility.valid_until.isoformat() if facility.valid_until else "",
    }
    evidence = None
    if upload:
        evidence = evidence_create_from_upload(
            user=user,
            region=facility.region,
            upload=upload,
            title=f"{facility.name}: {_('certificate renewed')}",
            document_number=decree_number,
            document_date=date,
            valid_until=valid_until,
        )
    facility.decree_number, facility.decree_date, facility.decree_issuer = decree_number, date, decree_issuer
    facility.valid_until, facility.decree_file, facility.ended_on = valid_until, evidence, None
    facility.save()
    _record_step(
        user,
        facility,
        Status.CERTIFIED,
        date,
        decree_number=decree_number,
        decree_issuer=decree_issuer,
        valid_until=valid_until,
        evidence=evidence,
    )
    audit_record(
        actor=user,
        verb="facility.certificate_renewed",
        target=facility,
        region_code=facility.region_id,
        summary=facility.name,
        before=before,
        after={
            "decree": decree_number,
            "decree_date": date.isoformat(),
            "valid_until": valid_until.isoformat() if valid_until else "",
        },
    )
    return facility


@transaction.atomic
def total_save(
    *, user: User, region: Region, year: int, kind: str, school_level: str, total: int, source: str
) -> FacilityTotal:
    """Records (or corrects) how many facilities of a kind and level the kab/kota has in all, with its source."""
    check_edit_register(user, region)
    entry = catalogue().kinds.get(kind)
    problems: dict[str, str] = {}
    if entry is None or not entry.certifiable:
        problems["kind"] = _("Totals are kept for kinds with a certificate only.")
    elif entry.school_levels and school_level not in SchoolLevel.values:
        problems["school_level"] = _("Choose the school level.")
    elif not entry.school_levels and school_level:
        problems["school_level"] = _("A school level applies to schools only.")
    if not source.strip():
        problems["source"] = _("Say where the total comes from (Dapodik, EMIS, the health office's list...).")
    if not 2000 <= year <= timezone.localdate().year + 1:
        problems["year"] = _("Enter a year between 2000 and next year.")
    plausibility.check(problems)
    row = FacilityTotal.objects.filter(region=region, year=year, kind=kind, school_level=school_level).first()
    before = {"total": row.total, "source": row.source} if row else None
    row, _created = FacilityTotal.objects.update_or_create(
        region=region,
        year=year,
        kind=kind,
        school_level=school_level,
        defaults={"total": total, "source": source.strip()},
    )
    audit_record(
        actor=user,
        verb="facility.total_saved",
        target=row,
        region_code=region.code,
        summary=f"{catalogue().name(kind)} {school_level} {year}".strip(),
        before=before,
        after={"total": total, "source": row.source},
    )
    return row


def _zone_kinds(required: list[str]) -> list[str]:
    known = catalogue().kinds
    unknown = [k for k in required if k not in known]
    if unknown:
        raise ValidationError({"required_kinds": _("Choose the required kinds from the list.")})
    return [k for k in known if k in set(required)]


@transaction.atomic
def zone_create(
    *,
    user: User,
    region: Region,
    name: str,
    walking_distance_m: int = 1000,
    required_kinds: list[str] | None = None,
    members: list[Facility] | None = None,
    is_demo: bool = False,
) -> Zone:
    """Names a Kaltara zone of the kab/kota with the kinds it must cover and (optionally) its first facilities."""
    check_edit_register(user, region)
    name = name.strip()
    problems: dict[str, str] = {}
    if not name:
        problems["name"] = _("Enter the zone's name.")
    elif Zone.objects.filter(region=region, name__iexact=name).exists():
        problems["name"] = _("%(name)s is already a zone of this region.") % {"name": name}
    if not 50 <= walking_distance_m <= 20000:
        problems["walking_distance_m"] = _("A zone's walking distance is between 50 m and 20 km.")
    members = members or []
    if any(f.region_id != region.code for f in members):
        problems["members"] = _("A zone holds facilities of its own regency/city only.")
    plausibility.check(problems)
    zone = Zone.objects.create(
        region=region,
        name=name,
        walking_distance_m=walking_distance_m,
        required_kinds=_zone_kinds(required_kinds or []),
        is_demo=is_demo,
    )
    zone.members.set(members)
    audit_record(
        actor=user,
        verb="facility.zone_created",
        target=zone,
        region_code=region.code,
        summary=zone.name,
        after={"members": [f.pk for f in members], "required_kinds": zone.required_kinds},
    )
    return zone


@transaction.atomic
def zone_set_member(*, user: User, zone: Zone, facility: Facility, member: bool) -> Zone:
    """Adds a facility of the zone's kab/kota to the zone, or takes it out."""
    check_edit_register(user, zone.region)
    if facility.region_id != zone.region_id:
        raise ValidationError(_("A zone holds facilities of its own regency/city only."), code="region")
    if member:
        zone.members.add(facility)
    else:
        zone.members.remove(facility)
    audit_record(
        actor=user,
        verb="facility.zone_member_added" if member else "facility.zone_member_removed",
        target=zone,
        region_code=zone.region_id,
        summary=f"{zone.name}: {facility.name}",
    )
    return zone


@transaction.atomic
def zone_delete(*, user: User, zone: Zone) -> None:
    """Deletes a zone (its facilities stay in the register); the page asks before."""
    check_edit_register(user, zone.region)
    audit_record(
        actor=user,
        verb="facility.zone_deleted",
        target=zone,
        region_code=zone.region_id,
        summary=zone.name,
        before={"members": list(zone.members.values_list("pk", flat=True))},
    )
    zone.delete()
