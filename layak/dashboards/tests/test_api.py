import csv
import io

import pytest

from layak.accounts.services import api_token_create

from .factories import cycle, make_result


@pytest.fixture
def data(db):
    published, hidden = cycle(2025), cycle(2026, published=False)
    make_result(published, "31.71", 820)
    make_result(published, "63.71", 610)
    make_result(hidden, "31.71", 905)
    return published, hidden


def test_region_results_path_is_not_taken_by_the_regions_router(client, data):
    # /api/v1/regions/{code} (regions app) is declared first; its {code} never matches a slash, so this is ours.
    assert "published_history" in client.get("/api/v1/regions/31.71/results").json()
    assert "children_count" in client.get("/api/v1/regions/31.71").json()


def test_anonymous_gets_published_results_only(client, data):
    body = client.get("/api/v1/results").json()
    assert body["count"] == 2 and {i["score"] for i in body["items"]} == {820.0, 610.0}
    assert body["items"][0]["clusters"]["K"]["max"] == 400.0


def test_results_filter_by_cycle_province_and_predicate(client, data):
    published, _hidden = data
    assert client.get("/api/v1/results", {"province": "63"}).json()["count"] == 1
    assert client.get("/api/v1/results", {"predicate": "utama"}).json()["items"][0]["region_code"] == "31.71"
    assert client.get("/api/v1/results", {"cycle": published.pk, "page_size": 1}).json()["next"]


def test_region_coordinator_also_sees_own_unpublished_result(client, data, region_coordinator):
    key = api_token_create(user=region_coordinator, name="script")[1]
    body = client.get("/api/v1/regions/31.71/results", headers={"Authorization": f"Bearer {key}"}).json()
    assert [r["score"] for r in body["results"]] == [820.0, 905.0]


def test_outsider_does_not_see_other_unpublished_results(login, outsider, data):
    body = login(outsider).get("/api/v1/regions/31.71/results").json()
    assert [r["score"] for r in body["results"]] == [820.0]


def test_region_results_include_the_published_history(client, data):
    body = client.get("/api/v1/regions/31.71/results").json()
    assert body["region_name"] == "Kota Administrasi Jakarta Pusat" and body["published_history"] == []
    assert client.get("/api/v1/regions/99.99/results").status_code == 404


def test_results_as_csv(client, data):
    response = client.get("/api/v1/results", {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv") and len(rows) == 2
    assert {"region_code", "predicate", "K_points", "I_max"} <= set(rows[0])


def test_national_stats_for_anonymous_is_the_latest_published_cycle(client, data):
    published, hidden = data
    body = client.get("/api/v1/stats/national").json()
    assert body["cycle_id"] == published.pk and body["predicates"] == {"utama": 1, "madya": 1}
    assert body["source"] == "layak"
    assert client.get("/api/v1/stats/national", {"cycle": hidden.pk}).status_code == 404
    assert client.get("/api/v1/stats/national", {"format": "csv"}).content.decode().startswith("cycle_id,predicate")


@pytest.mark.django_db
def test_national_stats_without_layak_results_answer_with_the_published_history(client):
    from layak.dashboards.models import PublishedNationalCount

    PublishedNationalCount.objects.create(
        year=2018,
        total=177,
        utama=2,
        nindya=11,
        madya=51,
        pratama=113,
        confidence="sure",
        note="Utama: Kota Surabaya and Kota Surakarta.",
        note_id="Utama: Kota Surabaya dan Kota Surakarta.",
    )
    body = client.get("/api/v1/stats/national").json()
    assert body["source"] == "published_history" and body["cycle_id"] is None
    history = body["published_history"][0]
    assert history["total"] == 177 and history["predicates"]["utama"] == 2
    assert history["note"] == "Utama: Kota Surabaya and Kota Surakarta."  # the test client asks in English
    client.cookies.pop("django_language")
    assert client.get("/api/v1/stats/national").json()["published_history"][0]["note"].endswith("dan Kota Surakarta.")
    assert client.get("/api/v1/stats/national", {"format": "csv"}).content.decode().startswith("year,total,utama")


def test_anonymous_use_is_rate_limited_with_a_clear_429(client, data, settings):
    settings.LAYAK_API_ANON_RATE = "2/m"
    assert [client.get("/api/v1/results").status_code for _ in range(2)] == [200, 200]
    response = client.get("/api/v1/stats/national")
    assert response.status_code == 429 and "Too many requests" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0


def test_signed_in_callers_are_not_rate_limited(login, outsider, data, settings):
    settings.LAYAK_API_ANON_RATE = "1/m"
    client = login(outsider)
    assert {client.get("/api/v1/results").status_code for _ in range(3)} == {200}


def test_openapi_documents_the_field_names(client):
    schema = client.get("/api/v1/openapi.json").json()
    fields = schema["components"]["schemas"]["ResultOut"]["properties"]
    assert "Kemendagri code" in fields["region_code"]["description"]
    assert "/api/v1/regions/{code}/results" in schema["paths"]


def test_the_rate_limit_counts_each_client_behind_a_trusted_proxy(client, data, settings):
    """Behind the proxy every visitor arrives from its address: each forwarded client gets its own bucket."""
    settings.LAYAK_API_ANON_RATE = "2/m"
    settings.LAYAK_TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = {"REMOTE_ADDR": "10.0.0.5"}
    for visitor in ("203.0.113.7", "198.51.100.9"):
        codes = [client.get("/api/v1/results", HTTP_X_FORWARDED_FOR=visitor, **proxy).status_code for _ in range(3)]
        assert codes == [200, 200, 429], visitor


def test_a_forged_forwarded_header_from_outside_does_not_escape_the_limit(client, data, settings):
    settings.LAYAK_API_ANON_RATE = "2/m"
    settings.LAYAK_TRUSTED_PROXIES = ["10.0.0.0/8"]
    codes = [
        client.get("/api/v1/results", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}", REMOTE_ADDR="203.0.113.50").status_code
        for i in range(3)
    ]
    assert codes == [200, 200, 429]
