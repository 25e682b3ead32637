"""The user guide: one page per role in both languages, linked from the header."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from layak.home.guide import GUIDE_DIR, GUIDES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", list(GUIDES))
def test_every_guide_exists_in_both_languages(slug):
    for lang in ("id", "en"):
        text = (GUIDE_DIR / lang / f"{slug}.md").read_text()
        assert text.startswith("# ") and len(text) > 400, (lang, slug)


def test_the_guide_opens_in_the_pages_language(client):
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    page = client.get(reverse("guide:guide_page", args=["region-coordinator"])).content.decode()
    assert "<h1" in page and "Panduan untuk koordinator kabupaten/kota" in page
    assert reverse("guide:guide") in client.get(reverse("home")).content.decode()  # the header's Help link


def test_my_role_comes_first(login, opd_contributor):
    page = login(opd_contributor).get(reverse("guide:guide")).content.decode()
    assert page.index("Agency (OPD) contributor") < page.index("Regency/city coordinator")
