from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from layak.protection import publication
from layak.protection.models import Report
from layak.protection.tests.factories import VIOLENCE_ROW, make_flagged_series, save_months

REGION = "31.71"
SMALL_ROW = {"freed": 2, "male": 1, "female": 1}
BIG_ROW = {"freed": 40, "male": 22, "female": 18}


@pytest.fixture
def figures(region_coordinator, national_admin):
    save_months(region_coordinator, REGION, {1: SMALL_ROW, 2: SMALL_ROW}, topic="child_labour")
    save_months(national_admin, "31.72", {1: BIG_ROW, 2: BIG_ROW}, topic="child_labour")
    save_months(national_admin, "31.73", {1: BIG_ROW}, topic="child_labour")
    publication.invalidate()


def test_public_page_shows_small_counts_as_fewer_than_five_and_hides_their_complements(client, figures):
    page = client.get(f"/protection/public/{REGION}/?year=2025").content.decode()
    assert 'data-cell="child_labour.freed"><span title="fewer than 5 children">&lt;5</span>' in page
    api = client.get(f"/api/v1/protection/public/{REGION}?year=2025").json()
    freed = next(f for t in api["topics"] for f in t["figures"] if f["key"] == "freed")
    assert freed["value"] is None and freed["shown"] == "<5"
    nation = client.get("/api/v1/protection/public/ID?year=2025").json()
    shown = {f["key"]: f["shown"] for t in nation["topics"] for f in t["figures"]}
    assert shown["freed"] == "124"  # the nation's total is large enough to publish


def test_region_coordinator_sees_exact_figures_and_the_outsider_does_not(login, figures, region_coordinator, outsider):
    page = login(region_coordinator).get(f"/protection/region/{REGION}/?year=2025").content.decode()
    assert 'data-cell="child_labour.freed">4<' in page
    api = login(region_coordinator).get(f"/api/v1/protection/regions/{REGION}?year=2025").json()
    assert next(f for t in api["topics"] for f in t["figures"] if f["key"] == "freed")["value"] == 4
    assert login(outsider).get(f"/protection/region/{REGION}/").status_code == 404


def test_public_page_query_count_does_not_grow_with_the_data(client, figures, django_assert_max_num_queries):
    client.get("/protection/public/31/?year=2025")
    with django_assert_max_num_queries(6):
        assert client.get("/protection/public/31/?year=2025").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/protection/public/31?year=2025").status_code == 200


def test_region_page_query_count_is_fixed(login, region_coordinator, django_assert_max_num_queries):
    make_flagged_series(region_coordinator, REGION, VIOLENCE_ROW)
    client = login(region_coordinator)
    client.get(f"/protection/region/{REGION}/?year=2025")
    with django_assert_max_num_queries(14):
        assert "jumps to check" in client.get(f"/protection/region/{REGION}/?year=2025").content.decode()


def test_public_csv_has_the_same_marks(client, figures):
    body = client.get(f"/protection/public/{REGION}/?year=2025&format=csv").content.decode("utf-8-sig")
    assert "Children withdrawn,<5" in body


def test_coordinator_corrects_a_month_with_a_reason(login, region_coordinator):
    save_months(region_coordinator, REGION, {1: VIOLENCE_ROW})
    report = Report.objects.get()
    data = {**{k: v * 2 for k, v in VIOLENCE_ROW.items()}, "reason": "late_reports"}
    response = login(region_coordinator).post(f"/protection/reports/{report.pk}/", data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.version == 2 and report.values["victims"] == 12


def test_monthly_form_refuses_figures_that_do_not_add_up(login, region_coordinator):
    data = {"year": 2025, "month": 3, **VIOLENCE_ROW, "male": 5}
    response = login(region_coordinator).post(f"/protection/region/{REGION}/new?topic=violence", data)
    assert response.status_code == 400
    assert "Sex adds up to 9, but Child victims is 6." in response.content.decode()
    assert not Report.objects.exists()


def _workbook(headers: list[str], rows: list[list]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.title = "child_labour"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("figures.xlsx", out.getvalue())


HEADERS = ["Kode wilayah", "Tahun", "Bulan", "Anak ditarik dari pekerjaan", "Laki-laki", "Perempuan"]


def test_import_records_a_year_all_or_nothing(login, region_coordinator):
    rows = [[REGION, 2025, m, 3, 1, 2] for m in range(1, 13)]
    response = login(region_coordinator).post(
        f"/protection/region/{REGION}/import", {"upload": _workbook(HEADERS, rows)}
    )
    assert response.status_code == 302 and Report.objects.count() == 12
    rows[4][4] = 9
    response = login(region_coordinator).post(
        f"/protection/region/{REGION}/import", {"upload": _workbook(HEADERS, rows), "reason": "entry_error"}
    )
    assert "row 6" in response.content.decode() and response.status_code == 400
    assert Report.objects.filter(version=1).count() == 12


@pytest.mark.parametrize(
    ("header", "cell", "said"),
    [
        ("Nama korban", "Ani", "looks like a name"),
        ("NIK", "3175010101010001", "looks like an identity number"),
        ("Tanggal lahir", "2012-05-01", "looks like a date or place of birth"),
        ("Alamat", "Jl. Contoh 1", "looks like an address"),
        ("Keterangan", "korban dipukul", "looks like free text about a case"),
    ],
)
def test_import_refuses_columns_that_look_like_personal_data(login, region_coordinator, header, cell, said):
    upload = _workbook([*HEADERS, header], [[REGION, 2025, 1, 3, 1, 2, cell]])
    response = login(region_coordinator).post(f"/protection/region/{REGION}/import", {"upload": upload})
    text = response.content.decode()
    assert response.status_code == 400 and said in text and "UU 27/2022" in text
    assert not Report.objects.exists()


def test_import_refuses_a_nik_hidden_in_a_count_column(login, region_coordinator):
    upload = _workbook(HEADERS, [[REGION, 2025, 1, "3175010101010001", 1, 2]])
    response = login(region_coordinator).post(f"/protection/region/{REGION}/import", {"upload": upload})
    assert "a 16-digit number, like a NIK" in response.content.decode()
    assert not Report.objects.exists()


def test_import_reads_csv(login, region_coordinator):
    body = ";".join(HEADERS) + "\n" + f"{REGION};2025;Jan;3;1;2\n"
    upload = SimpleUploadedFile("figures.csv", body.encode())
    response = login(region_coordinator).post(f"/protection/region/{REGION}/import", {"upload": upload})
    assert response.status_code == 302 and Report.objects.get().values["freed"] == 3


def test_the_template_imports_back_once_filled(login, region_coordinator):
    from openpyxl import load_workbook

    client = login(region_coordinator)
    body = client.get(f"/protection/region/{REGION}/template.xlsx?year=2025").content
    book = load_workbook(io.BytesIO(body))
    assert [s.title for s in book.worksheets][:2] == ["violence", "bullying"]
    for name in [s.title for s in book.worksheets]:
        if name != "child_labour":
            del book[name]
    sheet = book["child_labour"]
    for row in range(2, 14):
        sheet.cell(row=row, column=4, value=2)
        sheet.cell(row=row, column=5, value=1)
        sheet.cell(row=row, column=6, value=1)
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("filled.xlsx", out.getvalue())
    assert client.post(f"/protection/region/{REGION}/import", {"upload": upload}).status_code == 302
    assert Report.objects.count() == 12


def test_a_change_rebuilds_only_its_own_topic_and_year_and_a_population_figure_rebuilds_nothing(
    figures, national_admin, monkeypatch
):
    from django.core.cache import cache

    from layak.protection import services
    from layak.regions.models import Region

    save_months(national_admin, "31.72", {1: VIOLENCE_ROW})
    publication.figures_for(publication.NATION, 2025, exact=False)
    built: list[str] = []
    real = publication.publish
    monkeypatch.setattr(publication, "publish", lambda layout, *a: built.append(layout.cells[0]) or real(layout, *a))
    generation = cache.get(publication.GENERATION_KEY)
    cache.clear()  # a new process: only the stored tables (and the shared generation) are left
    cache.set(publication.GENERATION_KEY, generation)
    save_months(national_admin, "31.73", {2: BIG_ROW}, topic="child_labour")
    services.population_save(user=national_admin, region=Region.objects.get(code="31.72"), year=2025,
                             children=50_000, source="BPS")  # fmt: skip
    blocks = publication.figures_for("31.72", 2025, exact=True)
    assert built == ["freed"]  # child labour only; violence read from its stored table
    labour = next(b for b in blocks if b.topic.key == "child_labour")
    assert labour.population == 50_000 and labour.figures[0].rate is not None


def test_after_an_import_the_public_tables_are_built_before_any_visitor_comes(
    client, login, region_coordinator, django_capture_on_commit_callbacks, monkeypatch
):
    rows = [[REGION, 2025, m, 3, 1, 2] for m in range(1, 13)]
    with django_capture_on_commit_callbacks(execute=True):
        response = login(region_coordinator).post(
            f"/protection/region/{REGION}/import", {"upload": _workbook(HEADERS, rows)}
        )
    assert response.status_code == 302
    stored = publication.PublishedTable.objects.get(topic="child_labour", year=2025)
    assert stored.stamp == publication.table_stamp("child_labour", 2025)
    monkeypatch.setattr(publication, "publish", lambda *a: pytest.fail("a visitor waited for the suppression"))
    client.logout()
    assert client.get("/protection/public/?year=2025").status_code == 200
