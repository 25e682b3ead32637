from __future__ import annotations

import io

from layak.accounts.services import demo_seed
from layak.facilities.demo import seed_demo_data
from layak.facilities.models import Facility, Zone
from layak.facilities.selectors import zone_suggestions
from layak.regions.tests.factories import make_region


def test_the_demo_fills_jakarta_timur_once_with_labelled_examples(db, settings):
    settings.DEBUG = True
    for code in ("31.71", "31.75", "63.71", "35.76"):
        make_region(code)
    for code in (
        "31.75.04.1001",
        "31.75.04.1003",
        "31.75.06.1007",
        "31.75.02.1001",
        "31.75.02.1005",
        "31.75.07.1001",
        "31.75.03.1001",
        "31.75.10.1001",
        "31.75.02.1004",
    ):
        make_region(code)
    demo_seed()
    out = io.StringIO()
    seed_demo_data(stdout=out)
    seed_demo_data(stdout=out)
    facilities = Facility.objects.filter(region_id="31.75")
    assert facilities.count() == 15 and all(f.is_demo and "(data contoh)" in f.name for f in facilities)
    assert facilities.filter(status="certified").count() == 7
    zone = Zone.objects.get()
    assert "(data contoh)" in zone.name and zone.members.count() == 4
    assert [s.anchor.name for s in zone_suggestions(region=make_region("31.75"))] == [
        "RPTRA Cakung Barat (data contoh)"
    ]
    assert "already there" in out.getvalue()


def test_the_demo_is_skipped_without_the_kelurahan(db, settings):
    settings.DEBUG = True
    for code in ("31.71", "31.75", "63.71", "35.76"):
        make_region(code)
    demo_seed()
    out = io.StringIO()
    seed_demo_data(stdout=out)
    assert "skipped" in out.getvalue() and not Facility.objects.exists()
