"""API: GET/PUT answers and submit, for coordinator (token and session), contributor, outsider and anonymous."""

from __future__ import annotations

import json

import pytest

from layak.accounts.services import api_token_create
from layak.evaluations.models import Answer
from layak.evaluations.services import answer_save

from .factories import COMPLETE, attach_all_documents


def url(assessment, tail):
    return f"/api/v1/assessments/{assessment.pk}/{tail}"


@pytest.fixture
def bearer(client):
    """`bearer(user)` returns request kwargs carrying a fresh API token of that user."""

    def _bearer(user):
        _token, raw = api_token_create(user=user, name="test")
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return _bearer


def put(client, assessment, code, body, **headers):
    return client.put(url(assessment, f"answers/{code}"), json.dumps(body), content_type="application/json", **headers)


def test_anonymous_gets_401(client, assessment):
    assert client.get(url(assessment, "answers/K1")).status_code == 401
    assert put(client, assessment, "K1", {"values": {}, "expected_revision": 0}).status_code == 401
    assert client.post(url(assessment, "submit")).status_code == 401


def test_outsider_gets_404_everywhere(client, bearer, outsider, assessment):
    auth = bearer(outsider)
    assert client.get(url(assessment, "answers/K1"), **auth).status_code == 404
    assert (
        put(client, assessment, "K1", {"values": {"perda_kla": True}, "expected_revision": 0}, **auth).status_code
        == 404
    )
    assert client.post(url(assessment, "submit"), **auth).status_code == 404
    assert not Answer.objects.exists()


def test_coordinator_puts_and_gets_an_answer_with_a_token(client, bearer, region_coordinator, assessment):
    auth = bearer(region_coordinator)
    body = {
        "values": {"immunisation_pct": 96.5, "data_quality": "full"},
        "narrative_done": "Posyandu aktif",
        "expected_revision": 0,
    }
    response = put(client, assessment, "I2", body, **auth)
    assert response.status_code == 200, response.content
    assert response.json()["revision"] == 1 and response.json()["values"]["immunisation_pct"] == "96.5"
    got = client.get(url(assessment, "answers/I2"), **auth).json()
    assert got["narrative_done"] == "Posyandu aktif" and got["updated_by"] == str(region_coordinator)


def test_422_carries_a_message_per_field(client, bearer, region_coordinator, assessment):
    body = {"values": {"children_total": 10, "children_with_akta": 11}, "expected_revision": 0}
    response = put(client, assessment, "I1", body, **bearer(region_coordinator))
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["children_with_akta"]
    bad_pct = put(
        client,
        assessment,
        "I2",
        {"values": {"immunisation_pct": 101}, "expected_revision": 0},
        **bearer(region_coordinator),
    )
    assert bad_pct.json()["errors"] == {"immunisation_pct": ["Enter a percentage between 0 and 100."]}


def test_409_returns_both_versions(client, bearer, region_coordinator, assessment, indicators):
    answer_save(
        user=region_coordinator,
        assessment=assessment,
        indicator=indicators["I2"],
        values={"immunisation_pct": "80"},
        expected_revision=0,
    )
    response = put(
        client,
        assessment,
        "I2",
        {"values": {"immunisation_pct": 85}, "expected_revision": 0},
        **bearer(region_coordinator),
    )
    assert response.status_code == 409
    data = response.json()
    assert data["current"]["values"] == {"immunisation_pct": "80"} and data["current"]["revision"] == 1
    assert data["submitted"]["values"] == {"immunisation_pct": "85"}


def test_contributor_is_limited_to_assigned_indicators(client, bearer, opd_contributor, assessment, dinkes_assignment):
    auth = bearer(opd_contributor)
    ok = put(client, assessment, "I1", {"values": {"children_total": 5}, "expected_revision": 0}, **auth)
    assert ok.status_code == 200
    assert client.get(url(assessment, "answers/K1"), **auth).status_code == 404
    assert client.post(url(assessment, "submit"), **auth).status_code == 403


def test_submit_lists_what_is_missing_then_succeeds(client, bearer, region_coordinator, assessment, indicators):
    auth = bearer(region_coordinator)
    refused = client.post(url(assessment, "submit"), **auth)
    assert refused.status_code == 422
    assert {"indicator_code": "I1", "element_code": "akta_doc"} in [
        {k: m[k] for k in ("indicator_code", "element_code")} for m in refused.json()["missing"]
    ]
    for code, values in COMPLETE.items():
        answer_save(
            user=region_coordinator,
            assessment=assessment,
            indicator=indicators[code],
            values=values,
            expected_revision=0,
        )
    attach_all_documents(assessment, indicators)
    done = client.post(url(assessment, "submit"), **auth)
    assert done.status_code == 200 and done.json()["status"] == "submitted"
    locked = put(client, assessment, "K1", {"values": {}, "expected_revision": 1}, **auth)
    assert locked.status_code == 422 and "submitted" in locked.json()["detail"]


def test_session_login_works_for_reads(login, region_coordinator, assessment):
    assert login(region_coordinator).get(url(assessment, "answers/K1")).json()["revision"] == 0


def test_openapi_declares_the_error_responses(client):
    spec = client.get("/api/v1/openapi.json").json()
    put_op = spec["paths"]["/api/v1/assessments/{assessment_id}/answers/{indicator_code}"]["put"]
    assert {"200", "403", "404", "409", "422"} <= set(put_op["responses"])
