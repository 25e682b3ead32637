"""What the outsider (coordinator of 63.71) and an anonymous visitor get from every Kelana/Dekela URL of 31.71."""

from __future__ import annotations

from layak.common.testing import HIDDEN, LOGIN, PUBLIC, Check

REGION = {"region_code": "31.71"}

CHECKS: dict[str, Check] = {
    "villages:region_villages": Check(HIDDEN, LOGIN, REGION),
    "villages:provision": Check(HIDDEN, LOGIN, REGION),
    "villages:provision_template": Check(HIDDEN, LOGIN, {"region_code": "31.71", "fmt": "xlsx"}),
    "villages:area_detail": Check(HIDDEN, LOGIN, {"code": "31.71.01"}),
    "villages:my_areas": Check(PUBLIC, LOGIN),
    "villages:join": Check(PUBLIC, PUBLIC),
}
