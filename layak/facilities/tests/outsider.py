"""What the outsider (coordinator of 63.71) and an anonymous visitor get from every facility URL of 31.71."""

from __future__ import annotations

from layak.common.testing import HIDDEN, LOGIN, PUBLIC, Check

REGION = {"region_code": "31.71"}


def facility_kwargs(w):
    from layak.facilities.tests.factories import make_facility

    if not hasattr(w, "_facility"):
        w._facility = make_facility(w.owner)
    return {"pk": w._facility.pk}


def zone_kwargs(w):
    from layak.facilities import services
    from layak.regions.tests.factories import make_region

    if not hasattr(w, "_zone"):
        w._zone = services.zone_create(user=w.owner, region=make_region("31.71"), name="Kaltara Gambir")
    return {"pk": w._zone.pk}


CHECKS: dict[str, Check] = {
    "facilities:region_facilities": Check(HIDDEN, LOGIN, REGION),
    "facilities:facility_create": Check(HIDDEN, LOGIN, REGION),
    "facilities:facility_import": Check(HIDDEN, LOGIN, REGION, method="post"),
    "facilities:import_template": Check(HIDDEN, LOGIN, REGION),
    "facilities:facility_export": Check(HIDDEN, LOGIN, REGION),
    "facilities:region_counts": Check(HIDDEN, LOGIN, REGION),
    "facilities:total_save": Check(HIDDEN, LOGIN, REGION, method="post"),
    "facilities:region_coverage": Check(HIDDEN, LOGIN, REGION),
    "facilities:region_zones": Check(HIDDEN, LOGIN, REGION),
    "facilities:zone_create": Check(HIDDEN, LOGIN, REGION, method="post", data={"name": "Z"}),
    "facilities:region_map": Check(HIDDEN, LOGIN, REGION),
    "facilities:map_data": Check(HIDDEN, LOGIN, REGION),
    "facilities:public_facilities": Check(PUBLIC, PUBLIC, REGION),
    "facilities:facility_detail": Check(HIDDEN, LOGIN, facility_kwargs),
    "facilities:facility_edit": Check(HIDDEN, LOGIN, facility_kwargs),
    "facilities:facility_step": Check(HIDDEN, LOGIN, facility_kwargs, method="post", data={"step": "assessed"}),
    "facilities:facility_renew": Check(HIDDEN, LOGIN, facility_kwargs, method="post"),
    "facilities:zone_detail": Check(HIDDEN, LOGIN, zone_kwargs),
    "facilities:zone_member": Check(HIDDEN, LOGIN, zone_kwargs, method="post"),
    "facilities:zone_delete": Check(HIDDEN, LOGIN, zone_kwargs, method="post", data={"confirmed": "yes"}),
}
