"""Facility test data for Jakarta Pusat (31.71), made through the services."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from layak.facilities import services
from layak.facilities.choices import Status
from layak.regions.tests.factories import make_region

GAMBIR, CIDENG, PASAR_BARU = "31.71.01.1001", "31.71.01.1002", "31.71.02.1001"


def make_desa(*codes: str) -> None:
    for code in codes:
        make_region(code)


def make_facility(user, *, kind="rbra", name="RBRA Gambir", desa=GAMBIR, level="", point=None, **extra):
    make_desa(desa)
    lat, lon = point or (None, None)
    return services.facility_create(
        user=user,
        region=make_region("31.71"),
        kind=kind,
        name=name,
        desa=desa,
        school_level=level,
        latitude=Decimal(str(lat)) if lat is not None else None,
        longitude=Decimal(str(lon)) if lon is not None else None,
        proposed_on=extra.pop("proposed_on", datetime.date(2022, 1, 3)),
        **extra,
    )


def certify(user, facility, *, on=datetime.date(2025, 3, 1), until=None, number="188/SK/2025"):
    services.facility_transition(
        user=user, facility=facility, to=Status.ASSESSED, date=on - datetime.timedelta(days=10)
    )
    return services.facility_transition(
        user=user, facility=facility, to=Status.CERTIFIED, date=on, decree_number=number, valid_until=until
    )


def xlsx_upload(rows: list[list], *, header: list[str] | None = None, name: str = "fasilitas.xlsx"):
    from layak.facilities.imports import columns

    book = Workbook()
    sheet = book.active
    sheet.append(header or [c.header for c in columns()])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())
