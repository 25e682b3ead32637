"""The provisioning sheet: every kecamatan and desa/kelurahan of a kab/kota with empty contact columns.

The coordinator downloads it (xlsx or CSV), fills the operator of each area they want to invite and uploads it;
`layak.villages.services.operators_provision` reads it through the kit's bounded reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from layak.common import spreadsheets
from layak.common.spreadsheets import Column, RowError, SheetRow
from layak.regions.choices import RegionLevel
from layak.regions.models import Region

COLUMNS = [
    Column("code", gettext_lazy("Kemendagri code")),
    Column("level", gettext_lazy("Level")),
    Column("name", gettext_lazy("Name")),
    Column("full_name", gettext_lazy("Operator's full name")),
    Column("email", gettext_lazy("E-mail")),
    Column("phone", gettext_lazy("Phone (WhatsApp)")),
]
CONTACT_KEYS = ("full_name", "email", "phone")
PHONE = re.compile(r"^(?:\+62|62|0)(8\d{7,12})$")
PHONE_NOISE = re.compile(r"[\s\-.()]")


def area_rows(region: Region) -> list[tuple[str, int, str]]:
    """(code, level, name) of every kecamatan and desa/kelurahan of the kab/kota, in code order (one query)."""
    return list(
        Region.objects.in_subtree(region.code)
        .filter(level__in=[RegionLevel.KECAMATAN, RegionLevel.DESA])
        .order_by("code")
        .values_list("code", "level", "name")
    )


def sheet_rows(region: Region) -> Iterator[list[Any]]:
    for code, level, name in area_rows(region):
        yield [code, str(RegionLevel(level).label), name, "", "", ""]


def template_xlsx(region: Region) -> bytes:
    """The sheet to fill, as a workbook (every cell through the kit's formula guard)."""
    return spreadsheets.build_template(
        title=_("Operators"),
        columns=COLUMNS,
        examples=sheet_rows(region),
        lists={str(_("Phone (WhatsApp)")): ["0812 3456 7890", "+62 812 3456 7890"]},
    )


def template_csv_rows(region: Region) -> Iterator[list[Any]]:
    yield [str(c.header) for c in COLUMNS]
    yield from sheet_rows(region)


def read_upload(upload: Any) -> list[SheetRow]:
    """The filled rows of an uploaded xlsx or CSV, bounded by the kit's caps (size, rows, cells)."""
    name = (getattr(upload, "name", "") or "").lower()
    if not name.endswith(".csv"):
        return spreadsheets.read_rows(upload, COLUMNS)
    labels = spreadsheets.column_labels(COLUMNS)
    rows = spreadsheets.read_csv(upload)
    out = []
    for number, cells in enumerate(rows[1:], start=2):
        padded = (cells + [""] * len(COLUMNS))[: len(COLUMNS)]
        out.append(SheetRow("CSV", number, {c.key: v for c, v in zip(COLUMNS, padded, strict=True)}, labels))
    return out


def normal_phone(text: str) -> str | None:
    """An Indonesian mobile number as +62…, or None when it is not one (0812-3456-7890, +62 812 3456 7890)."""
    match = PHONE.match(PHONE_NOISE.sub("", text))
    return f"+62{match.group(1)}" if match else None


@dataclass(frozen=True)
class Contact:
    """One operator to invite, read from a row of the sheet."""

    code: str
    level: int
    full_name: str
    email: str
    phone: str


def row_contact(row: SheetRow, areas: dict[str, int], region: Region) -> tuple[Contact | None, list[RowError]]:
    """The contact of a row, or its errors; (None, []) for a row whose contact columns are empty."""
    cells = row.cells
    if not any(cells[k] for k in CONTACT_KEYS):
        return None, []
    errors = []
    code = cells["code"]
    if code not in areas:
        message = _("“%(code)s” is not a district or village of %(region)s; keep the codes of the downloaded sheet.")
        errors.append(row.error("code", message % {"code": code or "—", "region": region.name}))
    if not cells["full_name"]:
        errors.append(row.error("full_name", _("Enter the operator's full name.")))
    elif len(cells["full_name"]) > 150:
        errors.append(row.error("full_name", _("The name is too long: use at most 150 characters.")))
    if not cells["email"] and not cells["phone"]:
        errors.append(row.error("email", _("Give an e-mail address or a phone number to reach the operator.")))
    if cells["email"]:
        try:
            validate_email(cells["email"])
        except ValidationError:
            errors.append(row.error("email", _("“%(value)s” is not an e-mail address.") % {"value": cells["email"]}))
    phone = normal_phone(cells["phone"]) if cells["phone"] else ""
    if phone is None:
        errors.append(
            row.error(
                "phone",
                _("“%(value)s” is not an Indonesian mobile number; write it like 0812 3456 7890.")
                % {"value": cells["phone"]},
            )
        )
    if errors:
        return None, errors
    return Contact(code, areas[code], cells["full_name"], cells["email"].lower(), phone or ""), []
