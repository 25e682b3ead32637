"""The cycle's results table: who sees which rows, sorting, filters, CSV and Excel of exactly those rows."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from layak.accounts.tests.factories import UserFactory
from layak.evaluations.tests.factories import make_assessment

from .factories import make_final, make_snapshot

# DKI Jakarta (31) and Jawa Barat (32) kab/kota, real Kemendagri codes.
MANY = [f"31.{n}" for n in range(71, 76)] + [f"32.{n:02d}" for n in range(1, 19)] + [f"32.{n}" for n in range(71, 78)]


@pytest.fixture
def world(cycle, assessment):
    """Jakarta Pusat final (700, Madya), Jakarta Utara at the province stage (850), Banjarmasin final (940, KLA)."""
    make_final(assessment)
    utara = make_assessment(cycle, "31.72")
    make_snapshot(utara, "self")
    make_snapshot(utara, "province")
    banjarmasin = make_assessment(cycle, "63.71")
    make_snapshot(banjarmasin, "final", {"K1": 380, "I1": 280, "I2": 280})
    from layak.reviews.models import FinalResult

    FinalResult.objects.create(assessment=banjarmasin, score=940, computed_band_code="kla", band_code="kla")
    return cycle


def _url(cycle, **query) -> str:
    url = reverse("reports:cycle_results", args=[cycle.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _codes(client, cycle, **query) -> list[str]:
    response = client.get(_url(cycle, format="csv", **query))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return [row[0] for row in rows[1:]]


def _publish(cycle) -> None:
    cycle.results_published_at = timezone.now()
    cycle.save()


@pytest.mark.parametrize(
    ("persona", "codes"),
    [
        ("national_admin", ["63.71", "31.72", "31.71"]),
        ("independent_evaluator", ["63.71", "31.72", "31.71"]),
        ("province_verifier", ["31.72", "31.71"]),
        ("region_coordinator", ["31.71"]),
        ("opd_contributor", ["31.71"]),
        ("outsider", ["63.71"]),
    ],
)
def test_before_publication_each_persona_sees_only_their_regions(request, login, world, persona, codes):
    client = login(request.getfixturevalue(persona))
    assert _codes(client, world, sort="-score") == codes


def test_before_publication_someone_without_a_role_sees_no_row(login, world):
    page = login(UserFactory()).get(_url(world)).content.decode()
    assert "No regency/city matches these filters." in page and "Jakarta" not in page


def test_after_publication_any_signed_in_user_sees_the_final_rows(login, world, outsider):
    _publish(world)
    assert _codes(login(UserFactory()), world, sort="-score") == ["63.71", "31.71"]
    assert _codes(login(outsider), world, sort="-score") == ["63.71", "31.71"]  # not Jakarta Utara: not final


def test_outsider_page_does_not_reveal_other_regions_before_publication(login, outsider, world):
    page = login(outsider).get(_url(world)).content.decode()
    assert "Kota Banjarmasin" in page and "Jakarta Pusat" not in page and "Jakarta Utara" not in page


def test_anonymous_is_sent_to_login(client, world):
    for query in ({}, {"format": "csv"}, {"format": "xlsx"}):
        response = client.get(_url(world, **query))
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_page_shows_stage_score_predicate_and_clusters(login, national_admin, world):
    page = login(national_admin).get(_url(world)).content.decode()
    assert "Province verification" in page and "850.00" in page and "Utama" in page  # latest stage, not final
    assert "700.00" in page and "Madya" in page
    assert "Daerah Khusus Ibukota Jakarta" in page and "Kalimantan Selatan" in page
    assert "510.00" in page  # cluster I of Jakarta Utara at the province stage (250 + 260)
    assert reverse("reports:assessment_report", args=[world.assessments.get(region_id="31.71").pk]) in page


def test_published_rows_of_other_regions_do_not_link_to_their_report(login, outsider, world):
    _publish(world)
    page = login(outsider).get(_url(world)).content.decode()
    jakarta = world.assessments.get(region_id="31.71").pk
    assert "Jakarta Pusat" in page and reverse("reports:assessment_report", args=[jakarta]) not in page


@pytest.mark.parametrize(
    ("sort", "codes"),
    [
        ("score", ["31.71", "31.72", "63.71"]),
        ("-score", ["63.71", "31.72", "31.71"]),
        ("region", ["31.71", "31.72", "63.71"]),
        ("-code", ["63.71", "31.72", "31.71"]),
        ("province", ["31.71", "31.72", "63.71"]),
        ("predicate", ["31.71", "31.72", "63.71"]),
        ("-stage", ["31.71", "63.71", "31.72"]),
        ("-cluster-K", ["63.71", "31.72", "31.71"]),
        ("nonsense", ["31.71", "31.72", "63.71"]),  # unknown: by region name
    ],
)
def test_sorting_by_any_column(login, national_admin, world, sort, codes):
    assert _codes(login(national_admin), world, sort=sort) == codes


def test_rows_without_a_score_come_last_in_both_directions(login, national_admin, world):
    make_assessment(world, "31.73")  # not scored yet
    client = login(national_admin)
    assert _codes(client, world, sort="score")[-1] == "31.73"
    assert _codes(client, world, sort="-score")[-1] == "31.73"


def test_filter_by_province_and_predicate(login, national_admin, world):
    client = login(national_admin)
    assert _codes(client, world, province="31", sort="code") == ["31.71", "31.72"]
    assert _codes(client, world, predicate="utama") == ["31.72"]
    assert _codes(client, world, province="31", predicate="kla") == []
    page = client.get(_url(world, province="31")).content.decode()
    assert "2 regencies/cities shown of 3" in page


def test_sort_links_keep_the_filters(login, national_admin, world):
    page = login(national_admin).get(_url(world, province="31", sort="-score")).content.decode()
    assert 'aria-sort="descending"' in page
    assert "?province=31&amp;sort=score" in page  # clicking the sorted column reverses it
    assert "province=31&amp;sort=-score&amp;format=csv" in page


def test_csv_has_a_bom_and_neutralises_formulas(login, national_admin, world):
    world.assessments.get(region_id="31.71").region.__class__.objects.filter(code="31.71").update(
        name="=cmd|' /C calc'!A0"
    )
    response = login(national_admin).get(_url(world, format="csv", sort="code"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="kla-results-2025-{world.pk}.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["Code", "Regency/city", "Province", "Stage", "Score", "Predikat"]
    assert rows[0][6:] == ["K. Klaster K", "I. Klaster I"]
    assert rows[1][1] == "'=cmd|' /C calc'!A0"
    assert rows[1][4] == "700.00"


def test_excel_has_the_filtered_rows_and_an_about_sheet(login, national_admin, world):
    response = login(national_admin).get(_url(world, format="xlsx", province="31", sort="-score"))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Results", "About"]
    rows = list(book["Results"].iter_rows(values_only=True))
    assert rows[0][:6] == ("Code", "Regency/city", "Province", "Stage", "Score", "Predikat")
    assert [r[0] for r in rows[1:]] == ["31.72", "31.71"]
    assert rows[1][4] == 850 and rows[1][5] == "Utama"
    about = dict(book["About"].iter_rows(min_row=2, values_only=True))
    assert about["Province filter"] == "Daerah Khusus Ibukota Jakarta" and about["Rows"] == 2


def _results_queries(client, cycle) -> int:
    client.get(_url(cycle))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(_url(cycle, sort="-score")).status_code == 200
    return len(captured.captured_queries)


def test_queries_do_not_grow_from_3_to_30_regions(login, national_admin, cycle, django_assert_max_num_queries):
    client = login(national_admin)
    for code in MANY[:3]:
        make_final(make_assessment(cycle, code))
    few = _results_queries(client, cycle)
    for code in MANY[3:]:
        make_final(make_assessment(cycle, code))
    assert _results_queries(client, cycle) == few
    with django_assert_max_num_queries(10):
        client.get(_url(cycle, format="xlsx"))


@pytest.mark.slow
def test_all_514_regencies_in_bounded_queries(login, national_admin, cycle, django_assert_max_num_queries):
    from django.core.management import call_command

    from layak.evaluations.models import Assessment
    from layak.regions.models import Region
    from layak.reviews.models import FinalResult, ScoreSnapshot

    call_command("load_regions", levels="1,2")
    regions = list(Region.objects.filter(level=2).values_list("code", flat=True))
    assert len(regions) == 514
    Assessment.objects.bulk_create(Assessment(cycle=cycle, region_id=code) for code in regions)
    assessments = list(Assessment.objects.filter(cycle=cycle))
    template = make_snapshot(assessments[0], "final")
    ScoreSnapshot.objects.bulk_create(
        ScoreSnapshot(assessment=a, stage="final", total=template.total, max_total=1000, groups=template.groups)
        for a in assessments[1:]
    )
    FinalResult.objects.bulk_create(
        FinalResult(assessment=a, score=template.total, computed_band_code="madya", band_code="madya")
        for a in assessments
    )
    client = login(national_admin)
    with django_assert_max_num_queries(10):
        response = client.get(_url(cycle, format="csv"))
    assert len(response.content.decode("utf-8-sig").splitlines()) == 515


def test_national_staff_still_see_unscored_rows_after_publication(login, national_admin, world):
    """Publication adds other regions' final results for everybody; it never hides rows from national staff."""
    make_assessment(world, "31.73")  # not scored yet
    _publish(world)
    assert "31.73" in _codes(login(national_admin), world)
