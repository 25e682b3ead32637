"""Verification's audit events in words (see layak.audit.words)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from layak.accounts.models import User
from layak.audit.words import AuditWords, after, before, first_lower, when_words, wording
from layak.common.numbers import format_score
from layak.evaluations.audit_words import indicator_code
from layak.evaluations.choices import Stage

from .choices import ReviewState, ScoreStage


def state_words(code: str) -> str:
    return first_lower(str(ReviewState(code).label)) if code in ReviewState.values else str(_("another stage"))


def stage_words(code: str) -> str:
    return first_lower(str(ScoreStage(code).label)) if code in ScoreStage.values else str(_("another stage"))


def window_words(code: str) -> str:
    """A cycle stage's name (the windows use the evaluation stages)."""
    return first_lower(str(Stage(code).label)) if code in Stage.values else str(_("another stage"))


def band_words(code: str) -> str:
    """A predicate's name from its code: Pratama ... Utama, KLA; "no predicate" for none."""
    return "KLA" if code == "kla" else code.title() if code else str(_("no predicate"))


def _states(event, _words=None) -> dict[str, str]:
    return {"stage": state_words(before(event, "state")), "next": state_words(after(event, "state"))}


def _transition_details(event, _words=None) -> list[tuple[str, str]]:
    rows = [(_("Comment"), after(event, "comment"))]
    if after(event, "total"):
        rows.append((_("Score at this stage"), format_score(after(event, "total"))))
    if "band" in (event.after or {}):
        rows.append((_("Predicate"), band_words(after(event, "band"))))
    if after(event, "deadline"):
        rows.append((_("Deadline"), when_words(after(event, "deadline"))))
    for code, reason in (after(event, "indicators", {}) or {}).items():
        rows.append((_("Indicator %(code)s") % {"code": code}, reason))
    if after(event, "score"):
        rows.append((_("Final score"), format_score(after(event, "score"))))
    pinned = after(event, "pinned") or []
    if isinstance(pinned, list) and pinned:
        rows.append(
            (
                _("Evidence handed to the reviewers"),
                ngettext("%(count)s new or changed file", "%(count)s new or changed files", len(pinned))
                % {"count": len(pinned)},
            )
        )
    return rows


def _revision(event, _words=None) -> dict[str, str]:
    codes = list(after(event, "indicators", {}) or {})
    return {
        "stage": state_words(before(event, "state")),
        "what": ngettext("indicator %(codes)s", "indicators %(codes)s", len(codes)) % {"codes": ", ".join(codes)},
        "deadline": when_words(after(event, "deadline")),
    }


def _person(event, words: AuditWords) -> dict[str, str]:
    pk = after(event, "reviewer") or before(event, "reviewer")
    name = words.once(f"user:{pk}", lambda: str(User.objects.filter(pk=pk).first() or _("someone")))
    return {"person": name, "stage": stage_words(after(event, "stage") or before(event, "stage"))}


def _scored(event, _words=None) -> dict[str, str]:
    return {
        **indicator_code(event),
        "stage": stage_words(after(event, "stage")),
        "points": format_score(after(event, "points")),
    }


wording(
    "review.started",
    _("%(actor)s submitted the self-assessment; province verification started"),
    details=lambda e, w: [
        (_("Self-score"), format_score(after(e, "self_total") or None)),
        (_("Evidence files pinned for the reviewers"), str(after(e, "pinned") or "")),
    ],
)
wording("review.approve", _("%(actor)s approved the %(stage)s"), fill=_states, details=_transition_details)
wording(
    "review.request_revision",
    _("%(actor)s sent %(what)s back to the region for revision, due %(deadline)s"),
    fill=_revision,
    details=_transition_details,
)
wording(
    "review.resubmit",
    _("%(actor)s resubmitted the revised indicators for the %(next)s"),
    fill=_states,
    details=_transition_details,
)
wording(
    "review.return", _("%(actor)s returned the assessment to the %(next)s"), fill=_states, details=_transition_details
)
wording("review.finalise", _("%(actor)s finalised the result"), details=_transition_details)
wording("review.reopen", _("%(actor)s reopened the final result"), details=_transition_details)
wording(
    "indicator.reviewed",
    _("%(actor)s scored indicator %(code)s at %(points)s points (%(stage)s)"),
    fill=_scored,
    details=lambda e, w: [
        (_("The rubric gives"), format_score(after(e, "computed") or None)),
        (_("The previous stage verified"), format_score(after(e, "previous") or None)),
        (_("Reason"), after(e, "reason")),
        (_("Comment to the region"), after(e, "comment")),
    ],
)
wording(
    "question.graded",
    _("%(actor)s graded question %(code)s at %(points)s points (%(stage)s)"),
    fill=lambda e, w: {
        "code": after(e, "question"),
        "stage": stage_words(after(e, "stage")),
        "points": format_score(after(e, "points")),
    },
    details=lambda e, w: [
        (_("The previous stage verified"), format_score(after(e, "previous") or None)),
        (_("Reason"), after(e, "reason")),
        (_("Comment to the region"), after(e, "comment")),
    ],
)
wording(
    "answer.revised",
    _("%(actor)s revised indicator %(code)s (revision round %(round)s)"),
    fill=lambda e, w: {**indicator_code(e), "round": after(e, "round")},
)
wording("reviewer.assigned", _("%(actor)s assigned %(person)s to the %(stage)s"), fill=_person)
wording("reviewer.unassigned", _("%(actor)s removed %(person)s from the %(stage)s"), fill=_person)
wording("conflict.declared", _("%(actor)s declared a conflict of interest with a region"))
wording(
    "final.predicate_set",
    _("%(actor)s set the final predicate to %(band)s"),
    fill=lambda e, w: {"band": band_words(after(e, "band"))},
    details=lambda e, w: [(_("Reason"), after(e, "reason"))],
)
wording("cycle.results_published", _("%(actor)s published the results of the cycle"))
wording(
    "cycle.results_unpublished",
    _("%(actor)s withdrew the published results of the cycle"),
    details=lambda e, w: [(_("Reason"), after(e, "reason"))],
)
wording(
    "cycle.window_changed",
    _("%(actor)s changed the schedule of the %(stage)s"),
    fill=lambda e, w: {"stage": window_words(after(e, "stage"))},
    details=lambda e, w: [
        (_("Opens"), when_words(after(e, "start"))),
        (_("Closes"), when_words(after(e, "end"))),
        (_("Reason"), after(e, "reason")),
    ],
)
wording("scores.recomputed", _("%(actor)s recomputed the scores of the cycle"))
wording("scores.recompute_requested", _("%(actor)s asked for the scores of the cycle to be recomputed"))
