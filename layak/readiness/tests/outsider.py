"""What the outsider (coordinator of 63.71) and an anonymous visitor get from every readiness URL of 31.71."""

from __future__ import annotations

from layak.common.testing import HIDDEN, LOGIN, Check


def _assessment(w):
    return {"pk": w.assessment.pk}


def _flag(w):
    from layak.frameworks.models import Indicator
    from layak.readiness.models import Flag

    if not hasattr(w, "_readiness_flag"):
        indicator = Indicator.objects.filter(version=w.assessment.cycle.framework).order_by("pk").first()
        w._readiness_flag = Flag.objects.create(
            assessment=w.assessment, indicator=indicator, item_code="x", check_code="unreadable", params={}
        )
    return {"pk": w._readiness_flag.pk}


CHECKS: dict[str, Check] = {
    "readiness:assessment_readiness": Check(HIDDEN, LOGIN, _assessment),
    "readiness:assessment_run": Check(HIDDEN, LOGIN, _assessment, method="post"),
    "readiness:flag_mark_wrong": Check(HIDDEN, LOGIN, _flag, method="post"),
    "readiness:check_list": Check(HIDDEN, LOGIN),
}
