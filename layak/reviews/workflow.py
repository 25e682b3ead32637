"""The one table of the verification workflow: in which state, which action, by which role, to which state.

Services (`review_transition`) and templates (the buttons shown) both read `TRANSITIONS`; a test walks every
state x action x role. The stages follow REFERENCE.md §4.1: province administrative verification, central desk
review (ministry with the independent team), field verification (VLH), finalisation.

- approve: the stage is done; the assessment moves to the next stage (its scores are kept as a snapshot);
- request_revision: named indicators go back to the region with a reason and a deadline;
- resubmit: the region coordinator sends the fixed indicators back to the stage that asked;
- return: a later stage sends the assessment back to the previous verification stage to look again;
- announce: the ministry announces the provisional results; the region may object (sanggah) until a deadline;
- finalise: the ministry fixes the final score and predicate (from the last verified stage and the objections
  it accepted);
- reopen: the ministry reopens a finalised result.
"""

from __future__ import annotations

from dataclasses import dataclass

from layak.accounts.choices import Role
from layak.evaluations.choices import Stage

from .choices import ReviewAction, ReviewState, ScoreStage

PROVINCE_ROLES = frozenset({Role.PROVINCE_VERIFIER, Role.PROVINCE_COORDINATOR})
CENTRAL_ROLES = frozenset({Role.NATIONAL_ADMIN, Role.INDEPENDENT_EVALUATOR})
MINISTRY = frozenset({Role.NATIONAL_ADMIN})
REGION = frozenset({Role.REGION_COORDINATOR})


@dataclass(frozen=True)
class Transition:
    """One cell of the table: `roles` may do `action` in `state`, which then becomes `next_state`."""

    state: str
    action: str
    roles: frozenset[str]
    next_state: str
    needs_comment: bool = False

    @property
    def by_region(self) -> bool:
        """True when the region acts (resubmission), not a reviewer."""
        return self.roles == REGION


S, A = ReviewState, ReviewAction
TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.PROVINCE_VERIFICATION, A.APPROVE, PROVINCE_ROLES, S.CENTRAL_REVIEW),
    Transition(S.PROVINCE_VERIFICATION, A.REQUEST_REVISION, PROVINCE_ROLES, S.PROVINCE_REVISION, True),
    Transition(S.PROVINCE_REVISION, A.RESUBMIT, REGION, S.PROVINCE_VERIFICATION),
    Transition(S.CENTRAL_REVIEW, A.APPROVE, CENTRAL_ROLES, S.FIELD_VERIFICATION),
    Transition(S.CENTRAL_REVIEW, A.REQUEST_REVISION, CENTRAL_ROLES, S.CENTRAL_REVISION, True),
    Transition(S.CENTRAL_REVIEW, A.RETURN, CENTRAL_ROLES, S.PROVINCE_VERIFICATION, True),
    Transition(S.CENTRAL_REVISION, A.RESUBMIT, REGION, S.CENTRAL_REVIEW),
    Transition(S.FIELD_VERIFICATION, A.APPROVE, CENTRAL_ROLES, S.FINALISATION),
    Transition(S.FIELD_VERIFICATION, A.REQUEST_REVISION, CENTRAL_ROLES, S.FIELD_REVISION, True),
    Transition(S.FIELD_VERIFICATION, A.RETURN, CENTRAL_ROLES, S.CENTRAL_REVIEW, True),
    Transition(S.FIELD_REVISION, A.RESUBMIT, REGION, S.FIELD_VERIFICATION),
    Transition(S.FINALISATION, A.ANNOUNCE, MINISTRY, S.OBJECTION),
    Transition(S.FINALISATION, A.RETURN, MINISTRY, S.FIELD_VERIFICATION, True),
    Transition(S.OBJECTION, A.FINALISE, MINISTRY, S.FINALISED),
    Transition(S.FINALISED, A.REOPEN, MINISTRY, S.FINALISATION, True),
)
_BY_KEY = {(t.state, t.action): t for t in TRANSITIONS}

INITIAL_STATE = ReviewState.PROVINCE_VERIFICATION

# The score stage each state works on: reviewers score indicators of this stage; revisions belong to it.
STATE_STAGE: dict[str, str] = {
    S.PROVINCE_VERIFICATION: ScoreStage.PROVINCE,
    S.PROVINCE_REVISION: ScoreStage.PROVINCE,
    S.CENTRAL_REVIEW: ScoreStage.CENTRAL,
    S.CENTRAL_REVISION: ScoreStage.CENTRAL,
    S.FIELD_VERIFICATION: ScoreStage.FIELD,
    S.FIELD_REVISION: ScoreStage.FIELD,
    S.FINALISATION: ScoreStage.FINAL,
    S.OBJECTION: ScoreStage.FINAL,
    S.FINALISED: ScoreStage.FINAL,
}
# The cycle's time window (evaluations.Stage) in which a state's reviewer actions are allowed; resubmission by
# the region follows the revision round's deadline instead, and reopening a final result is the ministry's
# correction at any time.
STATE_WINDOW: dict[str, str] = {
    S.PROVINCE_VERIFICATION: Stage.PROVINCE_VERIFICATION,
    S.CENTRAL_REVIEW: Stage.CENTRAL_REVIEW,
    S.FIELD_VERIFICATION: Stage.FIELD_VERIFICATION,
    S.FINALISATION: Stage.FINALISATION,
    S.OBJECTION: Stage.FINALISATION,
}
WINDOWED_ACTIONS = frozenset({A.APPROVE, A.REQUEST_REVISION, A.RETURN, A.ANNOUNCE, A.FINALISE})
# States in which a reviewer scores indicators (the roles allowed to approve there may score).
SCORING_STATES = frozenset({S.PROVINCE_VERIFICATION, S.CENTRAL_REVIEW, S.FIELD_VERIFICATION})
REVISION_STATES = frozenset({S.PROVINCE_REVISION, S.CENTRAL_REVISION, S.FIELD_REVISION})


def transition_for(state: str, action: str) -> Transition | None:
    """The table's cell for this state and action, or None when the action is not possible there."""
    return _BY_KEY.get((state, action))


def transitions_from(state: str) -> list[Transition]:
    """Every action possible in a state, in table order."""
    return [t for t in TRANSITIONS if t.state == state]


def scoring_roles(state: str) -> frozenset[str]:
    """Who scores indicators in this state: the roles that may approve it (empty outside scoring states)."""
    cell = transition_for(state, ReviewAction.APPROVE)
    return cell.roles if cell and state in SCORING_STATES else frozenset()


def next_state(cell: Transition, *, field_visit: bool) -> str:
    """Where a transition leads for this assessment: field verification (VLH) only for the regions the ministry
    selected; the others go from the central review straight to finalisation (and back to the central review
    when the finalisation returns them)."""
    if cell.next_state == ReviewState.FIELD_VERIFICATION and not field_visit:
        return ReviewState.FINALISATION if cell.state == ReviewState.CENTRAL_REVIEW else ReviewState.CENTRAL_REVIEW
    return cell.next_state
