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
    if after(event, "letter"):
        rows.append((_("Governor's hand-over letter"), after(event, "letter")))
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


# --- The real stages (decision 0022) ----------------------------------------------------------------------


def _decision_words(code: str) -> str:
    from .choices import ObjectionDecision

    return first_lower(str(ObjectionDecision(code).label)) if code in ObjectionDecision.values else ""


def _mode_words(code: str) -> str:
    from .choices import VisitMode

    return first_lower(str(VisitMode(code).label)) if code in VisitMode.values else ""


wording(
    "review.announce",
    _("%(actor)s announced the provisional results; the region may object until %(deadline)s"),
    fill=lambda e, w: {"deadline": when_words(after(e, "deadline"))},
    details=_transition_details,
)
wording("field.selected", _("%(actor)s selected the region for field verification (VLH)"))
wording("field.unselected", _("%(actor)s removed the region from field verification (VLH)"))
wording(
    "field.agenda_saved",
    _("%(actor)s set the field visit's agenda"),
    details=lambda e, w: [
        (_("Visit date"), after(e, "date")),
        (_("Online or on site"), _mode_words(after(e, "mode"))),
        (_("Sites to visit"), after(e, "sites")),
        (_("Verification team"), after(e, "team")),
    ],
)
wording(
    "field.children_heard",
    _("%(actor)s recorded a dialogue with children (Forum Anak)"),
    details=lambda e, w: [(_("Date of the dialogue"), after(e, "date")), (_("Topics"), after(e, "topics"))],
)
wording(
    "completion.opened",
    _("%(actor)s opened a completion window for %(what)s, until %(deadline)s"),
    fill=lambda e, w: {
        "what": ngettext("question %(codes)s", "questions %(codes)s", len(after(e, "questions", {}) or {}))
        % {"codes": ", ".join(after(e, "questions", {}) or {})},
        "deadline": when_words(after(e, "deadline")),
    },
    details=lambda e, w: [
        (_("What the region must complete"), after(e, "note")),
        *(
            (_("Question %(code)s") % {"code": code}, reason)
            for code, reason in (after(e, "questions", {}) or {}).items()
        ),
    ],
)
wording(
    "completion.document_added",
    _("%(actor)s added “%(title)s” to question %(code)s in the completion window (round %(round)s)"),
    fill=lambda e, w: {"title": after(e, "evidence"), "code": after(e, "question"), "round": after(e, "round")},
)
wording(
    "window.extended",
    _("%(actor)s gave the region more time, until %(until)s"),
    fill=lambda e, w: {"until": when_words(after(e, "closes"))},
    details=lambda e, w: [(_("Reason"), after(e, "reason"))],
)
wording(
    "handover.letter_attached",
    _("%(actor)s attached the governor's hand-over letter %(number)s"),
    fill=lambda e, w: {"number": after(e, "number")},
)
wording(
    "objection.filed",
    _("%(actor)s objected to the provisional grade of question %(code)s"),
    fill=lambda e, w: {"code": after(e, "question")},
    details=lambda e, w: [
        (_("Provisional points"), format_score(after(e, "points") or None)),
        (_("Reason"), after(e, "reason")),
        (_("Evidence"), after(e, "evidence")),
    ],
)
wording(
    "objection.decided",
    _("%(actor)s decided the objection on question %(code)s: %(decision)s"),
    fill=lambda e, w: {"code": after(e, "question"), "decision": _decision_words(after(e, "decision"))},
    details=lambda e, w: [
        (_("Points before"), format_score(before(e, "points") or None)),
        (_("Points now"), format_score(after(e, "points") or None)),
        (_("Reason"), after(e, "reason")),
        (_("Provisional total"), format_score(after(e, "total") or None)),
    ],
)
wording("objection.done", _("%(actor)s said the region has finished objecting"))
