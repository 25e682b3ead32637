"""The user guide per role: Markdown files in docs/guide/<language>/<role>.md, shown as pages in the product.

The files are the project's own (reviewed like code), so their HTML is trusted. The page's language picks the
folder; a guide missing in that language falls back to the other.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import markdown
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from layak.accounts.choices import Role
from layak.accounts.selectors import user_grants, user_is_national_admin

GUIDE_DIR = Path(settings.BASE_DIR) / "docs" / "guide"
# The guides, in the order of the index: file name and title.
GUIDES: dict[str, object] = {
    "region-coordinator": _("Regency/city coordinator (DP3A)"),
    "opd-contributor": _("Agency (OPD) contributor"),
    "province": _("Province coordinator and verifier"),
    "evaluator": _("Independent evaluator"),
    "national-admin": _("National admin (KemenPPPA)"),
    "village-operator": _("District or village operator (Kelana/Dekela)"),
    "public": _("Public, journalists and viewers"),
}
ROLE_GUIDES = {
    Role.REGION_COORDINATOR: "region-coordinator",
    Role.OPD_CONTRIBUTOR: "opd-contributor",
    Role.PROVINCE_COORDINATOR: "province",
    Role.PROVINCE_VERIFIER: "province",
    Role.INDEPENDENT_EVALUATOR: "evaluator",
    Role.NATIONAL_ADMIN: "national-admin",
    Role.KECAMATAN_OPERATOR: "village-operator",
    Role.DESA_OPERATOR: "village-operator",
    Role.VIEWER: "public",
}


@lru_cache(maxsize=32)
def _render(path: Path, mtime: float) -> SafeString:
    html = markdown.markdown(path.read_text(encoding="utf-8"), extensions=["tables", "toc", "sane_lists"])
    return mark_safe(html)  # our own reviewed files, not user input


def guide_html(slug: str, language: str) -> SafeString:
    """The guide's HTML in `language` (or the other language when it is missing there); Http404 when unknown."""
    if slug not in GUIDES:
        raise Http404
    for code in (language, "id", "en"):
        path = GUIDE_DIR / code / f"{slug}.md"
        if path.exists():
            return _render(path, path.stat().st_mtime)
    raise Http404


def my_guides(user) -> list[str]:
    """The guides of the user's roles (the public guide for a visitor)."""
    if user_is_national_admin(user):
        return ["national-admin"]
    mine = [ROLE_GUIDES[g.role] for g in user_grants(user) if g.role in ROLE_GUIDES]
    return list(dict.fromkeys(mine)) or ["public"]


def guide_index(request: HttpRequest) -> HttpResponse:
    """Every guide, the user's own first."""
    mine = my_guides(request.user)
    guides = [(slug, title, slug in mine) for slug, title in GUIDES.items()]
    guides.sort(key=lambda g: not g[2])
    return render(request, "home/guide_index.html", {"guides": guides})


def guide_page(request: HttpRequest, role: str) -> HttpResponse:
    html = guide_html(role, translation.get_language() or "id")
    return render(request, "home/guide_page.html", {"title": GUIDES[role], "html": html, "slug": role})
