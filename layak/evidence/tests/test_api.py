from __future__ import annotations

import hashlib

import pytest

from layak.accounts.services import api_token_create
from layak.evidence.models import Evidence
from layak.evidence.tests import factories as f

API = "/api/v1/evidence"


@pytest.fixture
def token_client(client, region_coordinator):
    """A client that authenticates with a Bearer token, as a script would."""
    _token, key = api_token_create(user=region_coordinator, name="uploader")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def start(client, size, region="31.71", filename="rad.pdf"):
    return client.post(
        f"{API}/uploads", {"region": region, "filename": filename, "size": size}, content_type="application/json"
    )


def put(client, upload_id, offset, data):
    return client.put(f"{API}/uploads/{upload_id}?offset={offset}", data, content_type="application/octet-stream")


def test_resumable_upload_over_the_api(token_client, region):
    data = f.pdf_of_size(250_000)
    created = start(token_client, len(data))
    assert created.status_code == 201 and created.json()["received"] == 0
    upload_id = created.json()["id"]
    assert put(token_client, upload_id, 0, data[:100_000]).json()["received"] == 100_000
    assert put(token_client, upload_id, 100_000, data[100_000:200_000]).status_code == 200
    # Connection dropped: ask where to continue, send only the rest.
    received = token_client.get(f"{API}/uploads/{upload_id}").json()["received"]
    assert received == 200_000
    assert put(token_client, upload_id, received, data[received:]).json()["received"] == len(data)
    done = token_client.post(
        f"{API}/uploads/{upload_id}/complete", {"title": "RAD KLA"}, content_type="application/json"
    )
    assert done.status_code == 201
    body = done.json()
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert (body["content_type"], body["size"], body["deduplicated"]) == ("application/pdf", len(data), False)
    assert token_client.get(f"{API}/{body['id']}").json()["title"] == "RAD KLA"


def test_wrong_offset_is_409_with_the_expected_offset(token_client, region):
    upload_id = start(token_client, 100).json()["id"]
    put(token_client, upload_id, 0, b"%PDF-1.4")
    response = put(token_client, upload_id, 0, b"%PDF-1.4")
    assert response.status_code == 409
    assert response.json()["expected_offset"] == 8 and "Continue from byte 8" in response.json()["detail"]


def test_too_large_is_413_and_refused_type_is_422(settings, token_client, region):
    settings.LAYAK_EVIDENCE_MAX_BYTES = 1024
    assert start(token_client, 2048).status_code == 413
    upload_id = start(token_client, 10, filename="laporan.pdf").json()["id"]
    put(token_client, upload_id, 0, b"MZ" + b"\x00" * 8)
    refused = token_client.post(f"{API}/uploads/{upload_id}/complete", {}, content_type="application/json")
    assert refused.status_code == 422 and "not accepted" in refused.json()["detail"]


def test_same_file_twice_reports_deduplicated(token_client, region):
    ids = []
    for _ in range(2):
        upload_id = start(token_client, len(f.PDF_BYTES)).json()["id"]
        put(token_client, upload_id, 0, f.PDF_BYTES)
        done = token_client.post(f"{API}/uploads/{upload_id}/complete", {"title": "x"}, content_type="application/json")
        ids.append((done.json()["id"], done.json()["deduplicated"]))
    assert ids[0][0] == ids[1][0] and [d for _, d in ids] == [False, True]


def test_session_login_works_for_the_browser(login, region_coordinator, region):
    assert start(login(region_coordinator), 10).status_code == 201


def test_outsider_gets_404(login, outsider, region_coordinator, region):
    upload_id = start(login(region_coordinator), 10).json()["id"]
    evidence_id = Evidence.objects.create(region=region, title="x", kind="link", url="https://e.org").pk
    client = login(outsider)
    assert start(client, 10).status_code == 404
    assert client.get(f"{API}/uploads/{upload_id}").status_code == 404
    assert put(client, upload_id, 0, b"%PDF-").status_code == 404
    assert client.get(f"{API}/{evidence_id}").status_code == 404


def test_province_verifier_may_not_upload(login, province_verifier, region):
    assert start(login(province_verifier), 10).status_code == 403


def test_anonymous_gets_401(client, region):
    assert start(client, 10).status_code == 401
    assert client.get(f"{API}/1").status_code == 401


def test_openapi_declares_the_error_responses(client):
    schema = client.get("/api/v1/openapi.json").json()
    put_op = schema["paths"]["/api/v1/evidence/uploads/{upload_id}"]["put"]
    assert {"400", "403", "404", "409", "413", "422"} <= set(put_op["responses"])
    assert "application/octet-stream" in put_op["requestBody"]["content"]


def test_complete_retried_after_a_refusal_answers_422_with_a_reason(token_client, region):
    upload_id = start(token_client, 10, filename="laporan.pdf").json()["id"]
    put(token_client, upload_id, 0, b"MZ" + b"\x00" * 8)
    url = f"{API}/uploads/{upload_id}/complete"
    assert token_client.post(url, {}, content_type="application/json").status_code == 422
    again = token_client.post(url, {}, content_type="application/json")
    assert again.status_code == 422 and "Start a new upload" in again.json()["detail"]
    assert not Evidence.objects.exists()
