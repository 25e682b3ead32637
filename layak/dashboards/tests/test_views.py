import csv
import io

import pytest
from openpyxl import load_workbook

from layak.accounts.choices import Role
from layak.accounts.tests.factories import make_user_with_role
from layak.audit.models import AuditEvent
from layak.dashboards.models import ProvinceTarget
from layak.regions.tests.factories import make_region

from .factories import cycle, make_result

KABKOTA = [f"35.{n:02d}" for n in range(1, 30)] + ["35.71", "35.72", "35.73", "35.74", "35.75", "35.76", "35.77"]


@pytest.fixture
def published(db):
    made = cycle(2025)
    make_result(made, "31.71", 720)
    make_result(made, "31.72", 560)
    return made


@pytest.fixture
def unpublished(db):
    made = cycle(2026, published=False)
    make_result(made, "31.71", 905)
    return made


@pytest.fixture
def province_coordinator(db):
    return make_user_with_role("koordinator_dki", Role.PROVINCE_COORDINATOR, "31")


def test_national_dashboard_shows_map_data_ranking_and_history(login, national_admin, published):
    response = login(national_admin).get("/dashboards/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="dashboards-map-points"' in html and "Kota Administrasi Jakarta Pusat" in html
    assert "Provinsi Layak Anak condition" in html and "History: KLA awards as published" in html


def test_national_dashboard_hides_unpublished_cycles_from_region_users(login, outsider, published, unpublished):
    html = login(outsider).get("/dashboards/").content.decode()
    assert "KLA 2026" not in html and "905" not in html
    assert login(outsider).get(f"/dashboards/?cycle={unpublished.pk}").status_code == 404


def test_anonymous_visitor_opens_the_national_province_and_region_dashboards(client, published, unpublished):
    for url in ["/dashboards/", "/dashboards/provinces/31/", "/dashboards/regions/31.71/"]:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert "KLA 2026" not in html and "905" not in html, url  # unpublished results stay private
    assert 'id="dashboards-map-points"' in client.get("/dashboards/").content.decode()
    assert "Open revision requests" not in client.get("/dashboards/regions/31.71/").content.decode()


def test_province_headline_shows_coverage_and_the_average_of_regions_with_results(
    login, province_coordinator, published
):
    for code in ["31.01", "31.73", "31.74", "31.75"]:
        make_region(code)  # DKI's six kab/kota, four of them without a result
    html = login(province_coordinator).get("/dashboards/provinces/31/").content.decode()
    # 2 of 6 with results (720 and 560): an average of 640.00 beside the coverage, never 1280 / 6000 = 21.3%.
    assert "2 of 6" in html and "33%" in html and "640.00" in html
    assert "21.3" not in html and "Kota Administrasi Jakarta Utara" in html


def test_outsider_sees_only_published_cycles_on_province_and_region(login, outsider, published, unpublished):
    client = login(outsider)
    for url in ["/dashboards/provinces/31/", "/dashboards/regions/31.71/"]:
        html = client.get(url).content.decode()
        assert "905" not in html and "KLA 2026" not in html
    assert client.get(f"/dashboards/provinces/31/?cycle={unpublished.pk}").status_code == 404


def test_region_page_shows_profile_and_history(login, region_coordinator, published, unpublished):
    html = login(region_coordinator).get("/dashboards/regions/31.71/").content.decode()
    assert "Cluster profile" in html and "Weakest indicators" in html
    assert "905" in html  # the region sees its own unpublished result


def test_coordinator_sets_target_and_it_is_audited(login, province_coordinator, published):
    client = login(province_coordinator)
    response = client.post("/dashboards/provinces/31/target/", {"band_code": "utama", "year": 2026})
    assert response.status_code == 302
    assert ProvinceTarget.objects.get(province_id="31").band_code == "utama"
    assert AuditEvent.objects.filter(verb="province_target.set", region_code="31").exists()
    assert "0 / 2" in client.get("/dashboards/provinces/31/").content.decode()


def test_verifier_may_not_set_the_target(login, province_verifier, published):
    response = login(province_verifier).post("/dashboards/provinces/31/target/", {"band_code": "utama", "year": 2026})
    assert response.status_code == 403


def test_public_portal_shows_only_published_results(client, published, unpublished):
    html = client.get("/dashboards/public/").content.decode()
    assert "KLA 2025" in html and "720" in html
    assert "905" not in html and "KLA 2026" not in html
    assert client.get(f"/dashboards/public/?cycle={unpublished.pk}").status_code == 404
    region = client.get("/dashboards/public/regions/31.71/").content.decode()
    assert "720" in region and "905" not in region


def test_child_page_finds_the_region_and_its_predicate(client, published):
    html = client.get("/dashboards/public/what-is-kla/", {"q": "jakarta pusat"}).content.decode()
    assert "Nindya" in html and "KLA 2025" in html


def test_tables_sort_on_the_server(client, published):
    html = client.get("/dashboards/public/", {"sort": "score"}).content.decode()
    assert html.index("Jakarta Utara") < html.index("Jakarta Pusat")
    html = client.get("/dashboards/public/", {"sort": "-score"}).content.decode()
    assert html.index("Jakarta Pusat") < html.index("Jakarta Utara")


def test_every_table_downloads_as_csv_and_excel(client, published):
    response = client.get("/dashboards/public/", {"export": "results", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Type"].startswith("text/csv") and rows[0][0] == "Kab/kota" and len(rows) == 3
    response = client.get("/dashboards/public/", {"export": "history", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=1, column=1).value == "Award year"


@pytest.mark.parametrize("count", [3, 30])
def test_pages_run_a_fixed_number_of_queries(login, national_admin, django_assert_max_num_queries, count):
    made = cycle(2025)
    for code in KABKOTA[:count]:
        make_result(made, code, 500 + count)
    make_region("35.78")
    client = login(national_admin)
    for url, limit in [
        ("/dashboards/", 16),
        # + the facility register's panel, first view: its one-query stamp (empty: nothing to build)
        ("/dashboards/provinces/35/", 17),
        ("/dashboards/regions/35.01/", 17),
        ("/dashboards/public/", 10),
        ("/dashboards/public/regions/35.01/", 10),
    ]:
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200


def test_region_page_lists_open_revision_requests(login, region_coordinator, published):
    from datetime import timedelta

    from django.utils import timezone

    from layak.frameworks.models import Indicator
    from layak.reviews.choices import ScoreStage
    from layak.reviews.models import RevisionItem, RevisionRequest

    from .factories import cycle as make_cycle_of

    assessment = make_result(make_cycle_of(2027, published=False), "31.71", 640).assessment
    request = RevisionRequest.objects.create(
        assessment=assessment,
        stage=ScoreStage.PROVINCE,
        round=1,
        reason="Data akta belum sesuai Disdukcapil",
        deadline=timezone.now() + timedelta(days=2),
    )
    indicator = Indicator.objects.filter(version_id=assessment.cycle.framework_id).order_by("pk").first()
    RevisionItem.objects.create(request=request, indicator=indicator, reason="Lampirkan data Disdukcapil 2025")
    html = login(region_coordinator).get("/dashboards/regions/31.71/").content.decode()
    assert "Open revision requests" in html
    assert "Lampirkan data Disdukcapil 2025" in html and indicator.code in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_table_of_the_region_dashboard_exports(client, login, province_coordinator, published, fmt):
    """Each table the region page offers downloads as a file (it answered 500 when the page kept tables by key)."""
    for who in (client, login(province_coordinator)):
        for key in ["results", "published", "strongest", "weakest"]:
            response = who.get(f"/dashboards/regions/31.71/?export={key}&format={fmt}")
            assert response.status_code == 200, key
            assert response["Content-Disposition"].startswith("attachment"), key


def test_a_public_export_is_audited_with_the_table_and_the_visitor_address(client, published):
    from layak.audit.models import AuditEvent
    from layak.audit.words import audit_sentence

    response = client.get("/dashboards/regions/31.71/?export=results&format=csv", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200
    event = AuditEvent.objects.get(verb="dashboards.exported")
    assert (event.target_id, event.region_code, event.after) == ("results", "31.71", {"ip": "203.0.113.9"})
    assert audit_sentence(event).startswith("A visitor downloaded the table")
