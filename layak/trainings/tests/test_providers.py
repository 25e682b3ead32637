"""SDM terlatih KHA: distinct government staff of completed KHA trainings, with the warning about leavers."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from layak.regions.tests.factories import make_region
from layak.taskforces import services as taskforce_services
from layak.trainings import services
from layak.trainings.providers import training_values
from layak.trainings.selectors import trained_members_who_left, trained_staff_by_agency


def _training(user, kind="bimtek_kha", day=datetime.date(2025, 3, 12), title="Bimtek KHA"):
    return services.training_create(
        user=user, region=make_region("31.71"), kind=kind, title=title, starts_on=day, ends_on=day
    )


def _add(user, training, agencies, *rows):
    for name, short in rows:
        agency = agencies.get(short)
        services.participant_create(
            user=user, training=training, name=name, agency=agency, organisation="" if agency else short
        )


def _value(year: int):
    (value,) = training_values(make_region("31.71"), year)
    assert value.key == "trainings.kha_trained_staff"
    return value


def test_distinct_government_staff_of_completed_kha_trainings_are_counted(region_coordinator, agencies):
    first = _training(region_coordinator, day=datetime.date(2024, 8, 1), title="Diklat KHA 2024")
    second = _training(region_coordinator, kind="diklat_kha", day=datetime.date(2025, 3, 12))
    other = _training(region_coordinator, kind="other", day=datetime.date(2025, 4, 1), title="Pelatihan PATBM")
    _add(region_coordinator, first, agencies, ("Ani", "Dinkes"), ("Budi", "Disdik"))
    _add(region_coordinator, second, agencies, ("ani", "Dinkes"), ("Citra", "DP3A"), ("Relawan", "LPA Kota"))
    _add(region_coordinator, other, agencies, ("Dodi", "Dinsos"))
    value = _value(2025)
    assert value.value == 3  # Ani (twice), Budi, Citra; not the NGO volunteer, not the non-KHA training
    assert value.source == "from 2 trainings, 3 people, latest 12 Mar 2025"
    assert value.as_of == datetime.date(2025, 3, 12)
    assert value.url == "/trainings/region/31.71/"
    assert _value(2024).value == 2


def test_a_training_not_finished_yet_does_not_count(region_coordinator, agencies):
    later = timezone.localdate() + datetime.timedelta(days=10)
    _add(region_coordinator, _training(region_coordinator, day=later), agencies, ("Ani", "Dinkes"))
    value = _value(later.year)
    assert value.value == 0 and "No KHA training completed" in value.source


def test_staff_per_agency_counts_people_once(region_coordinator, agencies):
    a = _training(region_coordinator, day=datetime.date(2025, 1, 5), title="A")
    b = _training(region_coordinator, day=datetime.date(2025, 2, 5), title="B")
    _add(region_coordinator, a, agencies, ("Ani", "Dinkes"), ("Eka", "Dinkes"), ("Budi", "Disdik"))
    _add(region_coordinator, b, agencies, ("Ani", "Dinkes"))
    rows = trained_staff_by_agency(region=make_region("31.71"))
    assert [(r["agency__short_name"], r["people"], r["trainings"]) for r in rows] == [
        ("Dinkes", 2, 2),
        ("Disdik", 1, 1),
    ]


def test_a_trained_member_who_leaves_raises_the_warning(region_coordinator, decree, agencies):
    training = _training(region_coordinator)
    services.participant_create(
        user=region_coordinator,
        training=training,
        name="dr. Budi Santoso",
        agency=agencies["Dinkes"],
        is_taskforce_member=True,
    )
    region = make_region("31.71")
    assert trained_members_who_left(region=region) == []
    member = decree.members.get(name="dr. Budi Santoso")
    taskforce_services.member_update(
        user=region_coordinator,
        member=member,
        name=member.name,
        role=member.role,
        area=member.area,
        sector=member.sector,
        agency=member.agency,
        left_on=timezone.localdate(),
    )
    (left,) = trained_members_who_left(region=region)
    assert left.name == "dr. Budi Santoso" and left.trainings == ("Bimtek KHA",)


@pytest.mark.parametrize("size", [1, 7])
def test_the_provider_runs_two_queries_whatever_the_size(region_coordinator, agencies, size, django_assert_num_queries):
    for i in range(size):
        t = _training(region_coordinator, day=datetime.date(2025, 1, 1 + i), title=f"T{i}")
        _add(region_coordinator, t, agencies, *[(f"Orang {i}-{k}", "Dinkes") for k in range(size)])
    region = make_region("31.71")
    with django_assert_num_queries(2):
        (value,) = training_values(region, 2025)
    assert value.value == size * size
