"""What the outsider (coordinator of 63.71) and an anonymous visitor get from every partner URL of 31.71."""

from __future__ import annotations

from layak.common.testing import HIDDEN, LOGIN, UNAUTHORIZED, Check

REGION = {"region_code": "31.71"}


def partner_kwargs(w):
    from layak.partners.tests.factories import make_partner

    if not hasattr(w, "_partner"):
        w._partner = make_partner(w.owner)
    return {"pk": w._partner.pk}


CHECKS: dict[str, Check] = {
    "partners:region_partners": Check(HIDDEN, LOGIN, REGION),
    "partners:partner_create": Check(HIDDEN, LOGIN, REGION, method="post", data={"name": "PT X", "kind": "business"}),
    "partners:commitment_create": Check(HIDDEN, LOGIN, REGION, method="post"),
    "partners:partner_detail": Check(HIDDEN, LOGIN, partner_kwargs),
    "partners:partner_edit": Check(HIDDEN, LOGIN, partner_kwargs),
    "partners:contribution_create": Check(HIDDEN, LOGIN, partner_kwargs, method="post"),
    "GET /api/v1/partners/{region_code}": Check(HIDDEN, UNAUTHORIZED, REGION),
}
