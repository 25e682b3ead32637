"""A frozen framework version is read once per process; a draft one is read every time."""

import pytest
from django.utils import timezone

from layak.evaluations.tests.factories import make_framework
from layak.frameworks.selectors import framework_indicators

pytestmark = pytest.mark.django_db


def test_a_frozen_version_is_read_once(django_assert_num_queries):
    framework = make_framework()
    framework.frozen_at = timezone.now()
    framework.save(update_fields=["frozen_at"])
    first = framework_indicators(framework)
    with django_assert_num_queries(0):
        again = framework_indicators(framework)
    assert [i.code for i in again] == [i.code for i in first]
    assert again is not first  # callers get their own list


def test_a_draft_version_is_read_every_time(django_assert_num_queries):
    framework = make_framework()
    framework_indicators(framework)
    with django_assert_num_queries(2):
        framework_indicators(framework)
