"""What the outsider (coordinator of 63.71) and an anonymous visitor get from the dashboards' URLs.

The national, province and region dashboards are open to everyone for published cycles; an unpublished cycle is
seen only by national staff and the people of its regions. Setting a province's target is for its coordinator.
The public portal and the open-data API are open.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from layak.common.testing import HIDDEN, LOGIN, PUBLIC, Check

REGION = "31.71"
PROVINCE = "31"


def _published_result(w) -> dict[str, Any]:
    """Gives the world's assessment of 31.71 a final result and publishes its cycle (for the stats endpoint)."""
    from layak.reviews.models import FinalResult

    assessment = w.assessment
    FinalResult.objects.get_or_create(
        assessment=assessment, defaults={"score": 720, "computed_band_code": "nindya", "band_code": "nindya"}
    )
    cycle = assessment.cycle
    cycle.results_published_at = timezone.now() - timedelta(days=1)
    cycle.save(update_fields=["results_published_at"])
    return {}


CHECKS: dict[str, Check] = {
    "dashboards:national": Check(PUBLIC, PUBLIC),
    # Province and region dashboards are public for published results; unpublished ones stay with their people
    # (see test_views: the outsider and the anonymous visitor never see an unpublished cycle there).
    "dashboards:province": Check(PUBLIC, PUBLIC, {"code": PROVINCE}),
    "dashboards:province_target": Check(HIDDEN, LOGIN, {"code": PROVINCE}),
    "dashboards:region": Check(PUBLIC, PUBLIC, {"code": REGION}),
    "dashboards:public_index": Check(PUBLIC, PUBLIC),
    "dashboards:public_region": Check(PUBLIC, PUBLIC, {"code": REGION}),
    "dashboards:public_kla": Check(PUBLIC, PUBLIC),
    "GET /api/v1/results": Check(PUBLIC, PUBLIC),
    "GET /api/v1/regions/{code}/results": Check(PUBLIC, PUBLIC, {"code": REGION}),
    "GET /api/v1/stats/national": Check(PUBLIC, PUBLIC, _published_result),
}
