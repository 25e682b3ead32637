"""The question-level self-assessment (kla-2024): answers typed per question, evidence, MATRIKS, assignment by
data source, the self-score per question and the pages' query counts with 274 questions."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from layak.accounts.tests.factories import make_agency
from layak.audit.models import AuditEvent
from layak.evaluations import matriks, question_services
from layak.evaluations.models import QuestionAnswer, QuestionAssignment, QuestionEvidence
from layak.evaluations.question_selectors import instrument_missing, instrument_overview
from layak.evaluations.scoring_input import instrument_score, question_self_scores
from layak.evaluations.services import SubmissionIncomplete, assessment_submit
from layak.frameworks.models import FrameworkVersion, Question
from layak.frameworks.services import framework_load_file
from layak.frameworks.tests.conftest import SHIPPED

from .factories import PDF, make_assessment, make_cycle, q

pytestmark = pytest.mark.django_db


@pytest.fixture
def kla2024(db):
    framework_load_file(SHIPPED / "kla-2024.yaml")
    return FrameworkVersion.objects.get(slug="kla-2024")


@pytest.fixture
def a24(kla2024):
    return make_assessment(make_cycle(kla2024, year=2024))


def pdf(name: str = "bukti.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF + name.encode(), content_type="application/pdf")


# --- Answers ----------------------------------------------------------------------------------------------------


def test_a_percentage_is_computed_from_numerator_and_denominator_per_year(a24, region_coordinator):
    question = q("4.1")  # "Apakah ada data persentase anak diregistrasi 2 tahun terakhir?"
    assert question.answer_type == "percentage" and question.years_asked == 2
    assert question_services.question_years(a24, question) == [2023, 2024]
    with translation.override("id"):  # as an Indonesian user types: 1.234 is one thousand two hundred and …
        answer = question_services.question_answer_save(
            user=region_coordinator,
            assessment=a24,
            question=question,
            years={
                2023: {"numerator": "1.234", "denominator": "2.000"},
                2024: {"numerator": "912,5", "denominator": 1000},
            },
            note="Data Disdukcapil",
            expected_revision=0,
        )
    assert answer.years == {
        "2023": {"numerator": "1234", "denominator": "2000"},
        "2024": {"numerator": "912.5", "denominator": "1000"},
    }
    assert AuditEvent.objects.filter(verb="question.answered").count() == 1
    score = question_self_scores(a24)[question.pk]
    assert score.reason == "evidence_missing" and score.points == 0  # it asks for a MATRIKS and documents


@pytest.mark.parametrize(
    ("figures", "message"),
    [
        ({"numerator": "120", "denominator": "100"}, "cannot be larger than the denominator"),
        ({"numerator": "12"}, "give both the numerator and the denominator"),
        ({"numerator": "5", "denominator": "0"}, "cannot be 0"),
        ({"numerator": "1,2,3", "denominator": "10"}, "1,2,3"),
        ({"numerator": "50", "denominator": "100", "percentage": "60"}, "disagrees with its counts"),
    ],
)
def test_bad_percentages_are_refused_with_the_reason_and_nothing_saved(a24, region_coordinator, figures, message):
    with pytest.raises(ValidationError) as refused:
        question_services.question_answer_save(
            user=region_coordinator, assessment=a24, question=q("12.1"), years={2024: figures}, expected_revision=0
        )
    assert message in " ".join(refused.value.messages)
    assert not QuestionAnswer.objects.exists()


def test_a_year_the_question_does_not_ask_is_refused(a24, region_coordinator):
    with pytest.raises(ValidationError) as refused:
        question_services.question_answer_save(
            user=region_coordinator,
            assessment=a24,
            question=q("12.1"),
            years={2019: {"numerator": "1", "denominator": "2"}},
            expected_revision=0,
        )
    assert "asks for 2024, not 2019" in " ".join(refused.value.messages)


def test_a_stale_revision_is_a_conflict(a24, region_coordinator):
    question = q("1.1")
    question_services.question_answer_save(
        user=region_coordinator, assessment=a24, question=question, yes=True, expected_revision=0
    )
    with pytest.raises(question_services.QuestionConflict):
        question_services.question_answer_save(
            user=region_coordinator, assessment=a24, question=question, yes=False, expected_revision=0
        )
    assert QuestionAnswer.objects.get().yes is True


def test_yes_with_evidence_earns_the_question_and_moves_the_total(a24, region_coordinator):
    question = q("2.1")  # "Apakah telah terbentuk Gugus Tugas KLA? (Lampirkan SK …)", 3 points
    question_services.question_answer_save(
        user=region_coordinator, assessment=a24, question=question, yes=True, expected_revision=0
    )
    assert instrument_score(a24).total == 0
    question_services.question_evidence_upload(
        user=region_coordinator, assessment=a24, question=question, upload=pdf(), title="Perda KLA"
    )
    result = instrument_score(a24)
    assert result.total == Decimal(3) and result.max_total == Decimal(1000)
    assert result.groups["K"] == (Decimal(3), Decimal(164))


def test_an_opd_edits_only_its_questions(a24, region_coordinator, opd_contributor):
    dinkes = opd_contributor.roles.get().agency
    with pytest.raises(PermissionDenied):
        question_services.question_answer_save(
            user=opd_contributor, assessment=a24, question=q("12.1"), yes=None, expected_revision=0
        )
    question_services.questions_assign(user=region_coordinator, assessment=a24, assignments={q("12.1"): dinkes})
    question_services.question_answer_save(
        user=opd_contributor,
        assessment=a24,
        question=q("12.1"),
        years={2024: {"numerator": "95", "denominator": "100"}},
        expected_revision=0,
    )
    overview = instrument_overview(a24, opd_contributor)
    assert overview.score is None and overview.total == 1
    with pytest.raises(PermissionDenied):
        question_services.questions_assign(user=opd_contributor, assessment=a24, assignments={q("1.1"): dinkes})


def test_data_sources_map_to_agencies_and_assign_questions(a24, region_coordinator):
    dinkes = make_agency("31.71", "Dinas Kesehatan", "Dinkes")
    dp3a = make_agency("31.71", "DPPPAPPKB Jakarta Pusat", "DP3A")
    question_services.data_sources_map(
        user=region_coordinator, assessment=a24, mapping={"Dinkes": dinkes, "DPPPAPPKB": dp3a}
    )
    questions = list(Question.objects.filter(indicator__version=a24.cycle.framework).select_related("indicator"))
    count = question_services.questions_assign_by_sources(user=region_coordinator, assessment=a24, questions=questions)
    assigned = dict(QuestionAssignment.objects.values_list("question_id", "agency_id"))
    assert assigned[q("12.1").pk] == dinkes.pk  # Dinkes is 12.1's data source
    assert assigned[q("1.1").pk] == dp3a.pk  # JDIH, Bagian Hukum unmapped; DPPPAPPKB mapped
    assert count == len(assigned) > 150
    other = make_agency("63.71", "Dinkes Banjarmasin", "Dinkes")
    with pytest.raises(ValidationError):
        question_services.data_sources_map(user=region_coordinator, assessment=a24, mapping={"Dinkes": other})


def test_submit_lists_questions_without_answer_or_evidence(a24, region_coordinator):
    with pytest.raises(SubmissionIncomplete) as refused:
        assessment_submit(user=region_coordinator, assessment=a24)
    assert len(refused.value.missing) == 274
    question_services.question_answer_save(
        user=region_coordinator, assessment=a24, question=q("2.1"), yes=True, expected_revision=0
    )
    messages = {m.question_id: m.message for m in instrument_missing(a24)}
    assert "attach the documents" in messages[q("2.1").pk] and "MATRIKS" in messages[q("3.1a").pk]


# --- MATRIKS ----------------------------------------------------------------------------------------------------


def filled(template: bytes, rows: list[list], *, code: str | None = None) -> SimpleUploadedFile:
    book = load_workbook(io.BytesIO(template))
    sheet = book["MATRIKS"]
    for row in rows:
        sheet.append(row)
    if code:
        book["Pertanyaan"]["B1"] = code
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("matriks.xlsx", buffer.getvalue())


def test_matriks_template_round_trip_keeps_rows_and_the_file(a24, region_coordinator):
    question = q("3.1a")
    template = matriks.matriks_template(a24, question)
    info = load_workbook(io.BytesIO(template))["Pertanyaan"]
    assert info["B1"].value == "3.1a" and info["B4"].value == "31.71" and "Tunjukkan" in info["B2"].value
    upload = filled(template, [["Kemitraan PUSPAGA", "Dinsos; APSAI", "Pendampingan keluarga", 2024, "MoU 12/2024"]])
    link = matriks.question_matriks_upload(user=region_coordinator, assessment=a24, question=question, upload=upload)
    assert link.is_matriks
    answer = QuestionAnswer.objects.get(question=question)
    assert answer.matriks == [
        {
            "item": "Kemitraan PUSPAGA",
            "agency": "Dinsos; APSAI",
            "role": "Pendampingan keluarga",
            "year": "2024",
            "document": "MoU 12/2024",
        }
    ]
    assert question_self_scores(a24)[question.pk].points == Decimal("4.50")


def test_a_bad_matriks_is_refused_whole(a24, region_coordinator):
    question = q("3.1a")
    template = matriks.matriks_template(a24, question)
    with pytest.raises(ValidationError) as refused:
        matriks.question_matriks_upload(
            user=region_coordinator,
            assessment=a24,
            question=question,
            upload=filled(template, [["", "Dinsos", "", "tahun lalu", ""], ["=HYPERLINK(1)", "x", "", "", ""]]),
        )
    text = " ".join(refused.value.messages)
    assert "row 2" in text and "Fill this in" in text and "Write a year" in text
    with pytest.raises(ValidationError) as wrong:
        matriks.question_matriks_upload(
            user=region_coordinator,
            assessment=a24,
            question=question,
            upload=filled(template, [["a", "b", "", "", ""]], code="3.1b"),
        )
    assert "another question or region" in " ".join(wrong.value.messages)
    book = Workbook()
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ValidationError, match="not a MATRIKS template"):
        matriks.question_matriks_upload(
            user=region_coordinator,
            assessment=a24,
            question=question,
            upload=SimpleUploadedFile("x.xlsx", buffer.getvalue()),
        )
    with pytest.raises(ValidationError):
        matriks.question_matriks_upload(
            user=region_coordinator, assessment=a24, question=question, upload=pdf("not.xlsx")
        )
    assert not QuestionEvidence.objects.exists() and not QuestionAnswer.objects.exists()


# --- Pages ----------------------------------------------------------------------------------------------------


def test_the_overview_and_an_indicator_page_keep_their_query_counts_with_274_answered_questions(
    a24, region_coordinator, login, django_assert_max_num_queries
):
    client = login(region_coordinator)
    agency = make_agency("31.71", "DPPPAPPKB", "DP3A")
    questions = list(Question.objects.filter(indicator__version=a24.cycle.framework))
    QuestionAnswer.objects.bulk_create(
        QuestionAnswer(assessment=a24, question=question, yes=True, text="x", note="n") for question in questions
    )
    QuestionAssignment.objects.bulk_create(
        QuestionAssignment(assessment=a24, question=question, agency=agency) for question in questions
    )
    client.get(reverse("evaluations:assessment_detail", args=[a24.pk]))  # warms the per-process caches
    with django_assert_max_num_queries(13):  # 12, and 1 for the readiness panel (points at risk of the flags)
        response = client.get(reverse("evaluations:assessment_detail", args=[a24.pk]))
    body = response.content.decode()
    assert response.status_code == 200 and "274" in body and "Kelana-Dekela" in body
    # 12, and 1 for the indicator's readiness flags
    with django_assert_max_num_queries(13):
        response = client.get(reverse("evaluations:instrument_indicator", args=[a24.pk, "1"]))  # 63 questions
    assert response.status_code == 200 and response.content.decode().count('class="card ev-question') == 63


def test_saving_a_percentage_through_the_page_with_indonesian_numbers(a24, region_coordinator, login):
    client = login(region_coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"  # the page reads numbers as Indonesian writes them
    question = q("12.1")
    url = reverse("evaluations:question_save", args=[a24.pk, question.pk])
    prefix = f"q{question.pk}"
    response = client.post(
        url, {f"{prefix}-num_2024": "1.912", f"{prefix}-den_2024": "2.000", f"{prefix}-expected_revision": "0"}
    )
    assert response.status_code == 302
    assert QuestionAnswer.objects.get().years == {"2024": {"numerator": "1912", "denominator": "2000"}}
    page = client.get(reverse("evaluations:instrument_indicator", args=[a24.pk, "12"])).content.decode()
    assert "95,60%" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    refused = client.post(
        url,
        {f"{prefix}-num_2024": "3000", f"{prefix}-den_2024": "2000", f"{prefix}-expected_revision": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert refused.status_code == 200 and "cannot be larger than the denominator" in refused.content.decode()
    assert QuestionAnswer.objects.get().revision == 1


def test_an_outsider_gets_404_on_every_question_url(a24, login, django_user_model):
    from layak.accounts.choices import Role
    from layak.accounts.tests.factories import make_user_with_role

    outsider = make_user_with_role("dp3a_banjarmasin", Role.REGION_COORDINATOR, "63.71")
    client = login(outsider)
    question = q("3.1a")
    for name, args, method in [
        ("evaluations:instrument_indicator", [a24.pk, "1"], "get"),
        ("evaluations:instrument_assign", [a24.pk], "get"),
        ("evaluations:question_save", [a24.pk, question.pk], "post"),
        ("evaluations:question_matriks_template", [a24.pk, question.pk], "get"),
        ("evaluations:question_evidence_upload", [a24.pk, question.pk], "post"),
        ("evaluations:question_matriks_upload", [a24.pk, question.pk], "post"),
        ("evaluations:question_agency", [a24.pk, question.pk], "post"),
        ("evaluations:question_evidence_unlink", [a24.pk, question.pk, 1], "post"),
    ]:
        assert getattr(client, method)(reverse(name, args=args)).status_code == 404, name


# --- The Rekap workbook ------------------------------------------------------------------------------------------


def rekap_upload(content: bytes, edit) -> SimpleUploadedFile:
    book = load_workbook(io.BytesIO(content))
    edit(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("rekap.xlsx", buffer.getvalue())


def row_of(book, code: str):
    for sheet in book.worksheets:
        for row in sheet.iter_rows(min_row=2):
            if row[0].value == code:
                return row
    raise AssertionError(code)


def test_the_rekap_workbook_round_trips_all_or_nothing(a24, region_coordinator):
    from layak.evaluations import rekap

    question_services.question_answer_save(
        user=region_coordinator, assessment=a24, question=q("2.1"), yes=True, note="SK 2024", expected_revision=0
    )
    content = rekap.rekap_workbook(a24)
    book = load_workbook(io.BytesIO(content))
    assert len(book.worksheets) == 7 and book.worksheets[1].title.startswith("I ")
    assert sum(sheet.max_row - 1 for sheet in book.worksheets) == 274
    row = row_of(book, "2.1")
    assert row[4].value == "Yes" and row[9].value == "SK 2024" and row[13].value == 1

    def fill(book):
        percentage = row_of(book, "12.1")
        percentage[7].value, percentage[8].value = 950, 1000  # 2024 numerator, denominator
        row_of(book, "2.2")[4].value = "ya"
        row_of(book, "3.3")[4].value = "Forum CSR mendanai taman bermain"

    assert rekap.rekap_import(user=region_coordinator, assessment=a24, upload=rekap_upload(content, fill)) == 3
    stored = {a.question.full_code: a for a in QuestionAnswer.objects.select_related("question__indicator")}
    assert stored["12.1"].years == {"2024": {"numerator": "950", "denominator": "1000"}}
    assert stored["2.2"].yes is True and stored["3.3"].text.startswith("Forum CSR")
    assert stored["2.1"].revision == 1  # unchanged rows are not rewritten

    def bad(book):
        row_of(book, "2.1")[4].value = "mungkin"
        percentage = row_of(book, "12.1")
        percentage[7].value, percentage[8].value = 1200, 1000
        row_of(book, "2.3")[4].value = "ya"

    fresh = rekap.rekap_workbook(a24)
    with pytest.raises(ValidationError) as refused:
        rekap.rekap_import(user=region_coordinator, assessment=a24, upload=rekap_upload(fresh, bad))
    text = " ".join(refused.value.messages)
    assert "Write yes or no" in text and "cannot be larger than the denominator" in text
    assert not QuestionAnswer.objects.filter(question=q("2.3")).exists()  # nothing of the refused file saved
    stale = rekap.rekap_workbook(a24)
    question_services.question_answer_save(
        user=region_coordinator, assessment=a24, question=q("2.2"), yes=False, expected_revision=1
    )
    with pytest.raises(ValidationError, match="changed on the server"):
        rekap.rekap_import(
            user=region_coordinator,
            assessment=a24,
            upload=rekap_upload(stale, lambda book: setattr(row_of(book, "2.2")[4], "value", "ya")),
        )


def test_a_register_value_is_offered_and_taken_with_its_provenance(a24, region_coordinator, login, monkeypatch):
    from datetime import date

    from layak.evaluations import question_selectors
    from layak.evaluations.prefill import ComputedValue

    question = q("2.1")  # "Apakah telah terbentuk Gugus Tugas KLA?"
    Question.objects.filter(pk=question.pk).update(computed_key="taskforces.decree_complete")
    offer = ComputedValue("taskforces.decree_complete", True, "SK Gugus Tugas 12/2024", date(2024, 3, 1), "/gt/")
    monkeypatch.setattr(question_selectors, "computed_values", lambda region, year: {offer.key: offer})
    client = login(region_coordinator)
    page = client.get(reverse("evaluations:instrument_indicator", args=[a24.pk, "2"])).content.decode()
    assert f'data-testid="offer-{question.pk}"' in page and "SK Gugus Tugas 12/2024" in page
    response = client.post(reverse("evaluations:question_take_offer", args=[a24.pk, question.pk]))
    assert response.status_code == 302
    answer = QuestionAnswer.objects.get(question=question)
    assert answer.yes is True and answer.provenance["source"] == "SK Gugus Tugas 12/2024"
    assert answer.provenance["as_of"] == "2024-03-01"
    page = client.get(reverse("evaluations:instrument_indicator", args=[a24.pk, "2"])).content.decode()
    assert "From register:" in page
    with pytest.raises(ValidationError, match="does not fit"):
        question_services.offer_values(q("12.1"), 95, [2024])


def test_the_bulk_self_scores_are_each_assessments_own(kla2024):
    """The lean bulk read (JSON decoded only where a score reads it) scores exactly like one assessment at a time:
    every answer type, answers with and without documents, a question with documents only."""
    from layak.evaluations.scoring_input import instrument_rules_load, instrument_scores_bulk
    from layak.evidence.models import Evidence, EvidenceKind

    cycle = make_cycle(kla2024, year=2024)
    first, second = make_assessment(cycle, "31.71"), make_assessment(cycle, "31.72")
    by_type: dict[str, list[Question]] = {}
    for question in Question.objects.filter(indicator__version=kla2024).select_related("indicator").order_by("pk"):
        by_type.setdefault(question.answer_type, []).append(question)
    answers = []
    for n, assessment in enumerate((first, second)):
        for kind, questions in by_type.items():
            for question in questions[n : n + 3]:
                years = {}
                if kind == "percentage":
                    years = {"2024": {"numerator": str(40 + n), "denominator": "80"}, "2023": {"numerator": "1"}}
                elif kind == "count":
                    years = {"2023": {"count": "4"}, "2024": {"count": str(3 + 2 * n)}}
                answers.append(
                    QuestionAnswer(
                        assessment=assessment,
                        question=question,
                        yes=bool(n) if kind == "yes_no" else None,
                        years=years,
                        text="Posyandu" if kind == "list" else "",
                        matriks=[{"item": "x"}] * (n + 1) if kind == "matriks" else [],
                    )
                )
    QuestionAnswer.objects.bulk_create(answers)
    asks = [q for questions in by_type.values() for q in questions if q.asks_evidence]
    item = Evidence.objects.create(region_id="31.71", title="Bukti", kind=EvidenceKind.LINK, url="https://example.org")
    for question in asks[:4]:  # answered or not: documents only count too
        QuestionEvidence.objects.create(assessment=first, question=question, evidence=item)
    rules = instrument_rules_load(kla2024)
    bulk = instrument_scores_bulk([first.pk, second.pk], rules)
    for assessment in (first, second):
        own = instrument_score(assessment, rules)
        assert bulk[assessment.pk] == own
    assert bulk[first.pk].total != bulk[second.pk].total
