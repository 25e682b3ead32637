"""Importing facilities from the register's Excel template (a school list with NPSN, a Puskesmas list...), all or
nothing: every row is checked first, every problem is listed with its row and column, and nothing is saved while
any remains. Reading is bounded by layak.common.spreadsheets (file size, rows, cells)."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from layak.accounts.models import User
from layak.audit.services import audit_record
from layak.common.spreadsheets import (
    Column,
    ImportRejected,
    RowError,
    SheetRow,
    build_template,
    choice_lookup,
    fold,
    read_rows,
)
from layak.regions.choices import RegionLevel
from layak.regions.models import Region
from layak.registers.access import check_edit_register

from .choices import SchoolLevel, Status
from .geo import parse_coordinate
from .kinds import catalogue
from .models import CertificationStep, Facility
from .selectors import panel_generation_bump
from .services import NPSN, check_point


def columns() -> list[Column]:
    return [
        Column("kind", _("Kind")),
        Column("name", _("Name")),
        Column("desa", _("Desa/kelurahan code")),
        Column("npsn", _("NPSN")),
        Column("school_level", _("School level")),
        Column("address", _("Address")),
        Column("latitude", _("Latitude")),
        Column("longitude", _("Longitude")),
        Column("status", _("Status")),
        Column("decree_number", _("Decree (SK) number")),
        Column("decree_date", _("Decree date")),
        Column("decree_issuer", _("Issued by")),
        Column("valid_until", _("Valid until")),
    ]


STATUS_WORDS = {
    Status.PROPOSED: ["diusulkan", "usulan"],
    Status.ASSESSED: ["dinilai", "sudah dinilai"],
    Status.CERTIFIED: ["tersertifikasi", "ber-sk", "bersk", "sk", "ditetapkan"],
    Status.LISTED: ["terdata", "tercatat"],
}
IMPORT_STATUSES = {Status.PROPOSED, Status.ASSESSED, Status.CERTIFIED, Status.LISTED}
DATE_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_date(text: str) -> datetime.date | None:
    """A date as the template's cells give it (YYYY-MM-DD) or as people type it (DD/MM/YYYY, DD-MM-YYYY)."""
    if not text:
        return None
    try:
        dmy = DATE_DMY.match(text)
        if dmy:
            day, month, year = (int(p) for p in dmy.groups())
            return datetime.date(year, month, day)
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        raise ValidationError(_("“%(text)s” is not a date; write it as DD/MM/YYYY.") % {"text": text[:30]}) from None


def template_bytes(region: Region) -> bytes:
    """The import template of the kab/kota, its allowed values including every desa/kelurahan code."""
    desa = Region.objects.filter(level=RegionLevel.DESA, code__startswith=f"{region.code}.").order_by("code")
    kinds = list(catalogue().kinds.values())
    first = desa.first()
    example_desa = first.code if first else ""
    return build_template(
        title=_("Facilities"),
        columns=columns(),
        examples=[
            [
                kinds[0].name,
                "SD Negeri Contoh 01",
                example_desa,
                "20100001",
                str(SchoolLevel.SD.label),
                "",
                "",
                "",
                str(Status.CERTIFIED.label),
                "188/123/2025",
                "15/03/2025",
                "Wali Kota",
                "14/03/2028",
            ],
        ],
        lists={
            _("Kind"): [k.name for k in kinds],
            _("School level"): [str(label) for label in SchoolLevel.labels],
            _("Status"): [
                str(Status(s).label) for s in (Status.PROPOSED, Status.ASSESSED, Status.CERTIFIED, Status.LISTED)
            ],
            _("Desa/kelurahan code"): [f"{d.code} {d.name}" for d in desa],
        },
    )


class _Reader:
    """Checks rows against the kab/kota's desa and the facilities already registered (read once)."""

    def __init__(self, region: Region) -> None:
        self.region = region
        self.kinds = {fold(k.code): k.code for k in catalogue().kinds.values()}
        self.kinds.update({fold(k.name): k.code for k in catalogue().kinds.values()})
        self.kinds.update({fold(k.name.split(" (")[0]): k.code for k in catalogue().kinds.values()})
        self.levels = choice_lookup(
            SchoolLevel,
            {
                SchoolLevel.SMA: ["SMA", "SMK", "MA"],
                SchoolLevel.SMP: ["SMP", "MTs"],
                SchoolLevel.SD: ["SD", "MI"],
                SchoolLevel.TK: ["TK", "RA", "PAUD"],
            },
        )
        self.statuses = choice_lookup(Status, STATUS_WORDS)
        self.desa = {
            code: Region(code=code, name=name)
            for code, name in Region.objects.filter(
                level=RegionLevel.DESA, code__startswith=f"{region.code}."
            ).values_list("code", "name")
        }
        existing = Facility.objects.filter(region=region).values_list("npsn", "desa_id", "kind", "name")
        self.npsn = {n for n, _d, _k, _m in existing if n}
        self.names = {(d, k, m.casefold()) for _n, d, k, m in existing}
        self.today = timezone.localdate()

    def row(self, row: SheetRow, errors: list[RowError]) -> dict[str, Any] | None:
        cells, found = row.cells, len(errors)

        def bad(key: str, message: str) -> None:
            errors.append(row.error(key, message))

        kind = self.kinds.get(fold(cells["kind"]))
        if kind is None:
            bad(
                "kind",
                _("“%(text)s” is not a kind of facility; use the list in the template.") % {"text": cells["kind"][:40]},
            )
            return None
        entry = catalogue().kinds[kind]
        name = cells["name"]
        if not name:
            bad("name", _("Enter the facility's name."))
        desa_code = cells["desa"].split(" ")[0]
        desa = self.desa.get(desa_code)
        if desa is None:
            bad(
                "desa",
                _("“%(code)s” is not a desa/kelurahan code of %(region)s.")
                % {"code": desa_code[:20], "region": self.region.name},
            )
        npsn = cells["npsn"]
        if npsn and not NPSN.match(npsn):
            bad("npsn", _("An NPSN has 8 digits."))
        elif npsn and npsn in self.npsn:
            bad(
                "npsn",
                _("A facility with NPSN %(npsn)s is already registered (or is twice in the file).") % {"npsn": npsn},
            )
        level = self.levels.get(fold(cells["school_level"]), "") if cells["school_level"] else ""
        if cells["school_level"] and not level:
            bad("school_level", _("Choose the school level from the list."))
        elif entry.school_levels and not level:
            bad("school_level", _("Choose the school level (TK/RA, SD/MI, SMP/MTs, SMA/MA/SMK or SLB)."))
        elif level and not entry.school_levels:
            bad("school_level", _("A school level applies to schools only."))
        point: dict[str, Any] = {}
        for key in ("latitude", "longitude"):
            try:
                point[key] = parse_coordinate(cells[key], key)
            except ValidationError as exc:
                bad(key, exc.message_dict[key][0])
        if len(point) == 2:
            for key, message in check_point(self.region, point["latitude"], point["longitude"]).items():
                bad(key, message)
        status = self.statuses.get(fold(cells["status"])) if cells["status"] else None
        if cells["status"] and status not in IMPORT_STATUSES:
            bad("status", _("Choose the status from the list (proposed, assessed, certified or listed)."))
            status = None
        default = Status.PROPOSED if entry.certifiable else Status.LISTED
        status = status or default
        if not entry.certifiable and status != Status.LISTED:
            bad(
                "status",
                _("A %(kind)s has no certificate: leave the status empty or write “listed”.") % {"kind": entry.name},
            )
        elif entry.certifiable and status == Status.LISTED:
            bad(
                "status",
                _("A %(kind)s has a certificate: its status is proposed, assessed or certified.")
                % {"kind": entry.name},
            )
        dates: dict[str, datetime.date | None] = {}
        for key in ("decree_date", "valid_until"):
            try:
                dates[key] = parse_date(cells[key])
            except ValidationError as exc:
                bad(key, exc.messages[0])
        decree = cells["decree_number"]
        if status == Status.CERTIFIED:
            if not decree:
                bad("decree_number", _("A certified facility needs its decree (SK) number."))
            if "decree_date" in dates and dates["decree_date"] is None:
                bad("decree_date", _("A certified facility needs its decree date."))
        elif decree or dates.get("decree_date") or dates.get("valid_until"):
            bad("decree_number", _("A decree is given only for a certified facility; set the status to certified."))
        decree_date, valid_until = dates.get("decree_date"), dates.get("valid_until")
        if decree_date and decree_date > self.today:
            bad("decree_date", _("The decree date is in the future."))
        if decree_date and valid_until and valid_until < decree_date:
            bad("valid_until", _("The certificate cannot expire before its decree date."))
        if desa is not None and name:
            seen = (desa.code, kind, name.casefold())
            if seen in self.names:
                bad(
                    "name",
                    _("%(desa)s already has a facility of this kind named “%(name)s” (or it is twice in the file).")
                    % {"desa": desa.name, "name": name},
                )
            self.names.add(seen)
        if npsn:
            self.npsn.add(npsn)
        if len(errors) > found:
            return None
        return {
            "kind": kind,
            "name": name,
            "desa_id": desa.code if desa else "",
            "npsn": npsn,
            "school_level": level,
            "address": cells["address"],
            "latitude": point.get("latitude"),
            "longitude": point.get("longitude"),
            "status": status,
            "decree_number": decree if status == Status.CERTIFIED else "",
            "decree_date": decree_date if status == Status.CERTIFIED else None,
            "decree_issuer": cells["decree_issuer"] if status == Status.CERTIFIED else "",
            "valid_until": valid_until if status == Status.CERTIFIED else None,
        }


@transaction.atomic
def facility_import(*, user: User, region: Region, upload: Any, is_demo: bool = False) -> list[Facility]:
    """Creates every facility of the sheet, or none: ImportRejected lists each row's problems."""
    check_edit_register(user, region)
    rows = read_rows(upload, columns())
    reader, errors, values = _Reader(region), [], []
    for row in rows:
        value = reader.row(row, errors)
        if value is not None:
            values.append(value)
    if errors:
        raise ImportRejected(errors)
    created = Facility.objects.bulk_create(
        [Facility(region=region, created_by=user, is_demo=is_demo, **v) for v in values]
    )
    today = timezone.localdate()
    steps = []
    for facility in created:
        if facility.status == Status.LISTED:
            continue
        date = facility.decree_date if facility.status == Status.CERTIFIED else today
        steps.append(
            CertificationStep(
                facility=facility,
                status=facility.status,
                date=date,
                decree_number=facility.decree_number,
                decree_issuer=facility.decree_issuer,
                valid_until=facility.valid_until,
                note=_("Imported from a spreadsheet"),
                recorded_by=user,
            )
        )
    CertificationStep.objects.bulk_create(steps)
    panel_generation_bump(region.code)  # a bulk write sends no signal
    audit_record(
        actor=user,
        verb="facility.imported",
        target=region,
        region_code=region.code,
        summary=str(len(created)),
        after={"facilities": len(created)},
    )
    return created


def export_rows(facilities: Any) -> list[list[Any]]:
    """The register as rows shaped like the import template (so an export can be corrected and imported elsewhere)."""
    rows: list[list[Any]] = [[c.header for c in columns()]]
    for f in facilities:
        rows.append(
            [
                f.kind_name,
                f.name,
                f.desa_id,
                f.npsn,
                f.get_school_level_display() if f.school_level else "",
                f.address,
                f.latitude,
                f.longitude,
                f.get_status_display(),
                f.decree_number,
                f.decree_date.isoformat() if f.decree_date else "",
                f.decree_issuer,
                f.valid_until.isoformat() if f.valid_until else "",
            ]
        )
    return rows
