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


def test_a_village_operator_finds_their_own_guide_on_home(login):
    from layak.accounts.choices import Role
    from layak.accounts.tests.factories import make_user_with_role
    from layak.regions.tests.factories import make_region

    village = make_region("31.71.01.1001")
    operator = make_user_with_role("operator_desa", Role.DESA_OPERATOR, village.code)
    page = login(operator).get(reverse("home")).content.decode()
    assert reverse("guide:guide_page", args=["village-operator"]) in page and "Your user guide" in page
    guide = login(operator).get(reverse("guide:guide_page", args=["village-operator"])).content.decode()
    assert "Kelana/Dekela" in guide
