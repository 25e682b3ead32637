"""The results table is rendered once per data stamp and set of role assignments: every change of the rows shows
at once, and people with other assignments never get each other's table."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from layak.evaluations.tests.factories import make_assessment

from .factories import make_final, make_snapshot

pytestmark = pytest.mark.django_db


def _html(client, cycle, **query) -> str:
    response = client.get(reverse("reports:cycle_results", args=[cycle.pk]), query)
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_stage_score_shows_at_once(login, national_admin, cycle, assessment):
    client = login(national_admin)
    assert "Kota Administrasi Jakarta Utara" not in _html(client, cycle)
    utara = make_assessment(cycle, "31.72")
    assert "Kota Administrasi Jakarta Utara" in _html(client, cycle)  # a new row (no score yet)
    make_snapshot(utara, "self", {"K1": 111, "I1": 0, "I2": 0})
    assert "111" in _html(client, cycle)
    snapshot = make_snapshot(utara, "province", {"K1": 222, "I1": 0, "I2": 0})
    assert "222" in _html(client, cycle)
    snapshot.total = Decimal(333)  # a stage score rewritten in place (recompute)
    snapshot.save()
    assert "333" in _html(client, cycle)


def test_a_final_decision_and_publication_show_at_once(login, outsider, cycle, assessment):
    from django.utils import timezone

    make_snapshot(assessment, "self")
    outsider_client = login(outsider)
    assert "Kota Administrasi Jakarta Pusat" not in _html(outsider_client, cycle)
    make_final(assessment)
    cycle.results_published_at = timezone.now()
    cycle.save()
    assert "Kota Administrasi Jakarta Pusat" in _html(outsider_client, cycle)


def test_people_with_other_roles_never_get_each_others_table(client, national_admin, outsider, cycle, assessment):
    from django.test import Client

    make_final(assessment)
    make_final(make_assessment(cycle, "63.71"))
    admin, other = Client(), Client()
    admin.force_login(national_admin)
    other.force_login(outsider)
    admin_html, other_html = _html(admin, cycle), _html(other, cycle)
    assert "Kota Administrasi Jakarta Pusat" in admin_html
    assert "Kota Administrasi Jakarta Pusat" not in other_html  # not published: the outsider's region only
    report = reverse("reports:assessment_report", args=[assessment.pk])
    assert report in admin_html and report not in other_html


def test_a_role_removed_changes_the_table_at_once(login, region_coordinator, cycle, assessment):
    client = login(region_coordinator)
    assert "Kota Administrasi Jakarta Pusat" in _html(client, cycle)
    region_coordinator.roles.all().delete()
    assert "Kota Administrasi Jakarta Pusat" not in _html(client, cycle)


def test_a_repeat_view_reads_no_row(login, national_admin, cycle, assessment, django_assert_max_num_queries):
    make_final(assessment)
    client = login(national_admin)
    _html(client, cycle)
    with django_assert_max_num_queries(3):  # the session's user, grants and unread count: no row of the cycle
        _html(client, cycle)
