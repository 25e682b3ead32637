"""Where an assessment stands in verification, for pages of the evaluation app (which may not import reviews:
docs/decisions/0007-evaluations-hooks.md, "a page composes").

    {% load review_status %}
    {% review_state a as state %}        the state in words ("Revision requested by the province"), or ""
    {% review_final a as final %}        the final result once the cycle's results are published, else None
    {% review_status_panel a %}          a plain sentence: what verification is doing and what the region must do
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from layak.reviews.choices import ReviewState
from layak.reviews.models import FinalResult, ReviewProcess, RevisionRequest
from layak.reviews.workflow import REVISION_STATES

register = template.Library()


def _process(context, assessment) -> ReviewProcess | None:
    cache = context.render_context.setdefault("review_status", {})
    if assessment.pk not in cache:
        cache[assessment.pk] = ReviewProcess.objects.filter(assessment_id=assessment.pk).first()
    return cache[assessment.pk]


@register.simple_tag(takes_context=True)
def review_state(context, assessment) -> str:
    process = _process(context, assessment)
    return str(ReviewState(process.state).label) if process else ""


@register.simple_tag
def review_final(assessment) -> FinalResult | None:
    """The final result, only once the cycle's results are published (before that the self-score stands)."""
    published = assessment.cycle.results_published_at
    if published is None or published > timezone.now():
        return None
    return FinalResult.objects.filter(assessment_id=assessment.pk).first()


@register.inclusion_tag("reviews/_status_panel.html", takes_context=True)
def review_status_panel(context, assessment) -> dict[str, Any]:
    process = _process(context, assessment)
    revision = None
    if process is not None and process.state in REVISION_STATES:
        revision = (
            RevisionRequest.objects.filter(assessment_id=assessment.pk, resubmitted_at__isnull=True)
            .prefetch_related("items__indicator")
            .last()
        )
    return {
        "assessment": assessment,
        "process": process,
        "revision": revision,
        "final": review_final(assessment) if process and process.state == ReviewState.FINALISED else None,
    }
