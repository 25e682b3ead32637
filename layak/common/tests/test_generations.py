"""Generation counters change on every write path and never go back to a number an old fragment was kept under."""

import pytest
from django.core.cache import cache

from layak.common.generations import bump, cached_fragment, generation

pytestmark = pytest.mark.django_db


def test_a_lost_counter_restarts_above_every_number_used_before():
    cache.set("generation:test-lost", 7, None)
    bump("test-lost")
    assert generation("test-lost") == 8
    cache.delete("generation:test-lost")
    assert generation("test-lost") > 8


def test_a_fragment_is_rendered_once_per_key_and_language():
    calls = []

    def build():
        calls.append(1)
        return {"region": {"name": "Kota Surabaya"}}

    key = f"test:{generation('test-fragment')}"
    first = cached_fragment(key, "dashboards/_cycle_picker.html", lambda: {"cycles": [], **build()})
    again = cached_fragment(key, "dashboards/_cycle_picker.html", lambda: {"cycles": [], **build()})
    assert first == again and len(calls) == 1


def test_saving_a_region_or_a_framework_row_bumps_its_generation():
    from layak.evaluations.tests.factories import make_framework
    from layak.regions.tests.factories import make_region

    before = generation("regions")
    make_region("35.78")
    assert generation("regions") > before
    before = generation("frameworks")
    make_framework()
    assert generation("frameworks") > before
