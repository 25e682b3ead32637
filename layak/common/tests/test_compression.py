"""Pages travel compressed to browsers that accept it; files and downloads keep their bytes and their length."""

import gzip
import io
from pathlib import Path

import pytest
from django.http import FileResponse, HttpResponse, JsonResponse
from django.test import RequestFactory
from django.urls import reverse

from layak.common.middleware import COMPRESSED_MIN_BYTES, CompressedTextMiddleware


def _through(response, accept="gzip, deflate, br"):
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING=accept)
    return CompressedTextMiddleware(lambda _request: response)(request)


@pytest.fixture
def kla2024(db):
    from django.conf import settings

    from layak.frameworks.services import framework_load_file

    framework_load_file(Path(settings.LAYAK_FRAMEWORKS_DIR) / "kla-2024.yaml")


def test_a_big_page_travels_compressed_and_reads_the_same(client, kla2024):
    url = reverse("frameworks:version_detail", args=["kla-2024"])
    plain = client.get(url)
    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"] and "Cookie" in packed["Vary"]
    body = gzip.decompress(packed.content)
    assert int(packed["Content-Length"]) == len(packed.content) < len(body) / 2
    assert body.lower().startswith(b"<!doctype html>") and body.rstrip().endswith(b"</html>")
    assert body.count(b"<a ") == plain.content.count(b"<a ") > 30


@pytest.mark.django_db
def test_a_page_that_fits_in_the_first_round_trip_is_sent_as_it_is(client):
    response = client.get(reverse("home"), HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and len(response.content) < COMPRESSED_MIN_BYTES
    assert "Content-Encoding" not in response and response.content.lower().startswith(b"<!doctype html>")


def test_json_is_compressed():
    payload = {"rows": [{"region": "Kota Administrasi Jakarta Timur", "score": 812.5}] * 514}
    response = _through(JsonResponse(payload))
    assert response["Content-Encoding"] == "gzip"
    assert b"Jakarta Timur" in gzip.decompress(response.content)


def test_nothing_is_compressed_for_a_client_that_does_not_ask():
    response = _through(HttpResponse("<p>" + "Layak Anak " * 2000 + "</p>"), accept="")
    assert "Content-Encoding" not in response and response.content.startswith(b"<p>")


@pytest.mark.parametrize(
    "content_type",
    [
        "application/pdf",
        "application/zip",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "image/png",
    ],
)
def test_files_that_are_compressed_already_are_sent_as_they_are(content_type):
    data = b"PK\x03\x04" + b"\x00" * 50_000
    response = _through(HttpResponse(data, content_type=content_type))
    assert "Content-Encoding" not in response and response.content == data


def test_a_streamed_download_keeps_its_length():
    data = b"%PDF-1.7\n" + b"0" * 100_000
    response = _through(FileResponse(io.BytesIO(data), content_type="text/plain", filename="bukti.txt"))
    assert "Content-Encoding" not in response
    assert response["Content-Length"] == str(len(data))
    assert b"".join(response.streaming_content) == data
