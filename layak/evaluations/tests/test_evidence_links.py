"""Evidence on indicators: link rules, what counts as supported, the form page, carry-forward and the API."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from layak.accounts.services import api_token_create
from layak.audit.models import AuditEvent
from layak.evaluations.models import AnswerEvidence, Assessment, Cycle
from layak.evaluations.scoring_input import assessment_inputs, engine_answers, evidence_attached
from layak.evaluations.services import (
    answer_evidence_carry_forward,
    answer_evidence_link,
    answer_evidence_unlink,
    answer_save,
)
from layak.evidence.models import Evidence
from layak.evidence.services import evidence_create_link
from layak.frameworks.selectors import framework_indicators
from layak.regions.tests.factories import make_region

from .factories import PDF, attach_evidence, make_cycle

LINK_URL = "https://example.org/sk-gugus-tugas.pdf"


def edit_url(assessment, code="I1"):
    return reverse("evaluations:answer_edit", args=[assessment.pk, code])


def view_url(name, assessment, code="I1", **extra):
    return reverse(f"evaluations:{name}", kwargs={"pk": assessment.pk, "code": code, **extra})


@pytest.fixture
def library_item(assessment, region_coordinator):
    return evidence_create_link(user=region_coordinator, region=assessment.region, url=LINK_URL, title="SK Gugus Tugas")


# --- services ------------------------------------------------------------------------------------------------


def test_one_item_supports_several_indicators_and_each_link_is_audited(
    region_coordinator, assessment, indicators, library_item
):
    for code, element in (("K1", "policy_docs"), ("I1", "")):
        answer_evidence_link(
            user=region_coordinator,
            assessment=assessment,
            indicator=indicators[code],
            evidence=library_item,
            element_code=element,
        )
    assert AnswerEvidence.objects.filter(evidence=library_item).count() == 2
    assert AuditEvent.objects.filter(verb="answer.evidence_linked", region_code="31.71").count() == 2


def test_the_same_item_is_linked_to_an_element_only_once(region_coordinator, assessment, indicators, library_item):
    kwargs = {"user": region_coordinator, "assessment": assessment, "indicator": indicators["I1"]}
    answer_evidence_link(**kwargs, evidence=library_item, element_code="akta_doc")
    with pytest.raises(ValidationError, match="already supports"):
        answer_evidence_link(**kwargs, evidence=library_item, element_code="akta_doc")


def test_link_refuses_an_unknown_element_and_another_regions_evidence(
    region_coordinator, outsider, assessment, indicators, library_item
):
    kwargs = {"user": region_coordinator, "assessment": assessment, "indicator": indicators["I1"]}
    with pytest.raises(ValidationError, match="has no data element"):
        answer_evidence_link(**kwargs, evidence=library_item, element_code="ghost")
    foreign = evidence_create_link(user=outsider, region=make_region("63.71"), url=LINK_URL, title="Banjarmasin")
    with pytest.raises(ValidationError, match="belongs to another region"):
        answer_evidence_link(**kwargs, evidence=foreign)
    assert not AnswerEvidence.objects.exists()


def test_contributor_links_only_to_assigned_indicators(
    opd_contributor, assessment, indicators, dinkes_assignment, library_item
):
    kwargs = {"user": opd_contributor, "assessment": assessment, "evidence": library_item}
    answer_evidence_link(**kwargs, indicator=indicators["I1"])
    with pytest.raises(PermissionDenied):
        answer_evidence_link(**kwargs, indicator=indicators["K1"])


def test_unlink_is_refused_once_the_window_closes(region_coordinator, assessment, indicators, library_item):
    link = answer_evidence_link(
        user=region_coordinator, assessment=assessment, indicator=indicators["I1"], evidence=library_item
    )
    Cycle.objects.filter(pk=assessment.cycle_id).update(
        self_assessment_end=assessment.cycle.self_assessment_start + timedelta(seconds=1)
    )
    link.assessment.refresh_from_db()
    link.assessment.cycle.refresh_from_db()
    with pytest.raises(ValidationError, match="window is closed"):
        answer_evidence_unlink(user=region_coordinator, link=link)
    assert AnswerEvidence.objects.count() == 1


def test_unlink_keeps_the_item_in_the_library(region_coordinator, assessment, indicators, library_item):
    link = answer_evidence_link(
        user=region_coordinator, assessment=assessment, indicator=indicators["I1"], evidence=library_item
    )
    answer_evidence_unlink(user=region_coordinator, link=link)
    assert not AnswerEvidence.objects.exists() and Evidence.objects.filter(pk=library_item.pk).exists()
    assert AuditEvent.objects.filter(verb="answer.evidence_unlinked").count() == 1


# --- what counts as supported --------------------------------------------------------------------------------


def test_evidence_of_the_whole_indicator_supports_its_only_document_element(assessment, indicators):
    attach_evidence(assessment, indicators["I1"])  # no element named
    attach_evidence(assessment, indicators["I2"])  # I2 has no document element: supports nothing in particular
    attach_evidence(assessment, indicators["K1"], element_code="policy_count")  # a data element, not a document
    assert evidence_attached(assessment) == {indicators["I1"].pk: {"akta_doc"}, indicators["K1"].pk: {"policy_count"}}


def test_scoring_counts_a_document_as_present_only_when_evidence_is_linked(region_coordinator, assessment, indicators):
    answer_save(
        user=region_coordinator,
        assessment=assessment,
        indicator=indicators["K1"],
        values={"perda_kla": True},
        expected_revision=0,
    )
    ordered = framework_indicators(assessment.cycle.framework)
    assert engine_answers(ordered, assessment_inputs(assessment, ordered))["K1"]["policy_docs"] is False
    attach_evidence(assessment, indicators["K1"], element_code="policy_docs")
    assert engine_answers(ordered, assessment_inputs(assessment, ordered))["K1"]["policy_docs"] is True


# --- carry forward -------------------------------------------------------------------------------------------


@pytest.fixture
def next_cycle(framework, assessment):
    """A later cycle of the same framework with Jakarta Pusat's new assessment."""
    cycle = make_cycle(framework, year=2026)
    shift = timedelta(days=2)
    Cycle.objects.filter(pk=assessment.cycle_id).update(self_assessment_start=cycle.self_assessment_start - shift)
    return Assessment.objects.create(cycle=cycle, region=assessment.region)


def test_last_cycles_evidence_is_offered_and_carried_forward_as_a_copy(
    login, region_coordinator, assessment, indicators, next_cycle
):
    old = attach_evidence(assessment, indicators["I1"], element_code="akta_doc", name="Akta 2025.pdf")
    client = login(region_coordinator)
    body = client.get(edit_url(next_cycle)).content.decode()
    assert "Evidence from the previous cycle" in body and "Akta 2025.pdf" in body
    response = client.post(view_url("answer_evidence_carry", next_cycle, link_id=old.pk))
    assert response.status_code == 302
    link = AnswerEvidence.objects.get(assessment=next_cycle)
    assert link.element_code == "akta_doc" and link.evidence.carried_from_id == old.evidence_id
    assert link.evidence.current_file_id == old.evidence.current_file_id
    assert "Evidence from the previous cycle" not in client.get(edit_url(next_cycle)).content.decode()


def test_carry_forward_refuses_evidence_of_another_indicator(region_coordinator, assessment, indicators, next_cycle):
    old = attach_evidence(assessment, indicators["K1"])
    with pytest.raises(ValidationError, match="earlier cycle"):
        answer_evidence_carry_forward(
            user=region_coordinator, assessment=next_cycle, indicator=indicators["I1"], previous=old
        )


# --- pages ---------------------------------------------------------------------------------------------------


def test_contributor_uploads_a_pdf_from_the_indicator_form(login, opd_contributor, assessment, dinkes_assignment):
    client = login(opd_contributor)
    upload = SimpleUploadedFile("akta.pdf", PDF, content_type="application/pdf")
    response = client.post(
        view_url("answer_evidence_upload", assessment), {"file": upload, "title": "Rekap akta", "element": "akta_doc"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#evidence")
    link = AnswerEvidence.objects.get()
    assert link.evidence.title == "Rekap akta" and link.evidence.region_id == "31.71"
    body = client.get(edit_url(assessment)).content.decode()
    assert "Rekap akta" in body and reverse("evidence:evidence_download", args=[link.evidence_id]) in body
    assert "1 evidence item attached" in body and "PDF" in body


def test_a_refused_upload_shows_the_reason_and_links_nothing(login, region_coordinator, assessment):
    upload = SimpleUploadedFile("virus.exe", b"MZ\x90\x00" + b"\x00" * 100)
    response = login(region_coordinator).post(view_url("answer_evidence_upload", assessment), {"file": upload})
    assert response.status_code == 400
    assert "This kind of file is not accepted" in response.content.decode()
    assert not AnswerEvidence.objects.exists() and not Evidence.objects.exists()


def test_coordinator_picks_from_the_library_and_adds_a_link(login, region_coordinator, assessment, library_item):
    client = login(region_coordinator)
    assert "SK Gugus Tugas" in client.get(edit_url(assessment, "K1")).content.decode()
    picked = client.post(view_url("answer_evidence_pick", assessment, "K1"), {"evidence": library_item.pk})
    added = client.post(
        view_url("answer_evidence_url", assessment, "K1"),
        {"url": "https://jdih.example.go.id/perda-kla", "title": "Perda KLA", "element": "policy_docs"},
    )
    assert picked.status_code == added.status_code == 302
    assert sorted(AnswerEvidence.objects.values_list("element_code", flat=True)) == ["", "policy_docs"]


def test_contributor_cannot_attach_to_an_unassigned_indicator(login, opd_contributor, assessment, dinkes_assignment):
    response = login(opd_contributor).post(
        view_url("answer_evidence_url", assessment, "I2"), {"url": LINK_URL, "title": "x"}
    )
    assert response.status_code == 404 and not Evidence.objects.exists()


def test_coordinator_removes_evidence(login, region_coordinator, assessment, indicators):
    link = attach_evidence(assessment, indicators["I1"])
    response = login(region_coordinator).post(
        view_url("answer_evidence_unlink", assessment, link_id=link.pk), {"confirmed": "yes"}
    )
    assert response.status_code == 302 and not AnswerEvidence.objects.exists()


@pytest.mark.parametrize("name", ["answer_evidence_upload", "answer_evidence_pick", "answer_evidence_url"])
def test_outsider_gets_404_and_anonymous_the_login(client, login, outsider, assessment, name):
    anonymous = client.post(view_url(name, assessment), {"url": LINK_URL, "title": "x"})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert login(outsider).post(view_url(name, assessment), {"url": LINK_URL, "title": "x"}).status_code == 404
    assert not Evidence.objects.exists()


def test_outsider_cannot_unlink(login, outsider, assessment, indicators):
    link = attach_evidence(assessment, indicators["I1"])
    assert (
        login(outsider)
        .post(view_url("answer_evidence_unlink", assessment, link_id=link.pk), {"confirmed": "yes"})
        .status_code
        == 404
    )
    assert AnswerEvidence.objects.exists()


def test_form_page_queries_do_not_grow_with_linked_evidence(
    login, region_coordinator, assessment, indicators, django_assert_max_num_queries
):
    client = login(region_coordinator)
    attach_evidence(assessment, indicators["I1"], element_code="akta_doc")
    client.get(edit_url(assessment))
    with django_assert_max_num_queries(20) as few:
        client.get(edit_url(assessment))
    for n in range(12):
        attach_evidence(assessment, indicators["I1"], element_code="akta_doc", name=f"bukti-{n}.pdf")
        evidence_create_link(user=region_coordinator, region=assessment.region, url=LINK_URL, title=f"lib {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(edit_url(assessment))
    assert response.content.decode().count("ev-evidence-item") == 13


# --- API -----------------------------------------------------------------------------------------------------


def api_url(assessment):
    return f"/api/v1/assessments/{assessment.pk}/evidence"


@pytest.fixture
def bearer():
    def _bearer(user):
        return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='test')[1]}"}

    return _bearer


def test_api_attaches_an_uploaded_file(client, bearer, region_coordinator, assessment):
    upload = SimpleUploadedFile("akta.pdf", PDF, content_type="application/pdf")
    response = client.post(
        api_url(assessment),
        {"file": upload, "indicator_code": "I1", "element_code": "akta_doc"},
        **bearer(region_coordinator),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["element_code"] == "akta_doc" and body["evidence"]["content_type"] == "application/pdf"


def test_api_attaches_a_link_and_a_library_item(client, bearer, region_coordinator, assessment, library_item):
    auth = bearer(region_coordinator)
    link = {"indicator_code": "K1", "url": LINK_URL, "title": "Perda"}
    picked = {"indicator_code": "I1", "evidence_id": library_item.pk}
    for body in (link, picked):
        response = client.post(api_url(assessment), json.dumps(body), content_type="application/json", **auth)
        assert response.status_code == 201, response.content
    assert AnswerEvidence.objects.count() == 2


def test_api_gives_the_pages_messages(
    client, bearer, region_coordinator, opd_contributor, assessment, dinkes_assignment
):
    bad = {"indicator_code": "I1", "url": "ftp://x", "title": "x"}
    response = client.post(
        api_url(assessment), json.dumps(bad), content_type="application/json", **bearer(region_coordinator)
    )
    assert response.status_code == 422 and "http:// or https://" in response.json()["detail"]
    k1 = {"indicator_code": "K1", "url": LINK_URL, "title": "x"}
    response = client.post(
        api_url(assessment), json.dumps(k1), content_type="application/json", **bearer(opd_contributor)
    )
    assert response.status_code == 404  # K1 is not the contributor's: it does not exist for them


def test_api_outsider_gets_404_and_anonymous_401(client, bearer, outsider, assessment):
    body = json.dumps({"indicator_code": "I1", "url": LINK_URL, "title": "x"})
    assert client.post(api_url(assessment), body, content_type="application/json").status_code == 401
    response = client.post(api_url(assessment), body, content_type="application/json", **bearer(outsider))
    assert response.status_code == 404 and not Evidence.objects.exists()


def test_the_endpoint_is_in_the_openapi_document(client):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/assessments/{assessment_id}/evidence"]
    assert set(operation["post"]["requestBody"]["content"]) == {"multipart/form-data", "application/json"}
