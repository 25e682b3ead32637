"""The two places where the self-assessment hands over to the apps built on it, without importing them.

Dependencies point down (docs/decisions/0007-evaluations-hooks.md): `reviews` builds on `evaluations`, so
`evaluations` never imports `reviews`. Two of its services still need an answer from the stage after them:

- `submitted`: a submitted assessment goes to verification at once (the reviews app starts the review in the
  same transaction, so a submission and its review stand or fall together);
- `open_for_revision`: evidence of an indicator a reviewer sent back may change while the revision is open.

And one notice that never answers back: `answers_changed` tells the apps above (the readiness checks) that an
answer or its evidence changed; their handlers run after the commit (`robust`: an error there is logged and
never undoes or fails the save). When only the values of some questions changed (an autosave), it names them
(`question_ids`), so a handler may recheck those questions instead of the whole assessment.

The apps above register one function each in their `AppConfig.ready()`; the registration is checked by a test
(`layak/reviews/tests/test_hooks.py`), so a missing one fails the suite instead of silently skipping a review.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING

from django.db import transaction

if TYPE_CHECKING:
    from layak.accounts.models import User
    from layak.frameworks.models import Indicator

    from .models import Assessment

SubmittedHandler = Callable[["Assessment", "User"], object]
RevisionPolicy = Callable[["Assessment", "Indicator"], bool]
ChangedHandler = Callable[..., object]  # handler(assessment_id, question_ids=None)

_submitted: list[SubmittedHandler] = []
_revision: list[RevisionPolicy] = []
_changed: list[ChangedHandler] = []


def on_answers_changed(handler: ChangedHandler) -> ChangedHandler:
    """Registers `handler(assessment_id, question_ids=None)`, run after the commit of a change to an answer or its
    evidence (`question_ids`: only these questions' values changed, not their evidence)."""
    if handler not in _changed:
        _changed.append(handler)
    return handler


def answers_changed(assessment_id: int, question_ids: Iterable[int] | None = None) -> None:
    """Schedules every registered handler for after the current transaction commits (robustly); `question_ids`
    when only the values of these questions changed (their evidence did not)."""
    ids = None if question_ids is None else tuple(question_ids)
    for handler in _changed:
        transaction.on_commit(partial(handler, assessment_id, question_ids=ids), robust=True)


def on_submitted(handler: SubmittedHandler) -> SubmittedHandler:
    """Registers `handler(assessment, user)`, called inside `assessment_submit`'s transaction."""
    if handler not in _submitted:
        _submitted.append(handler)
    return handler


def on_revision_check(policy: RevisionPolicy) -> RevisionPolicy:
    """Registers `policy(assessment, indicator) -> bool`: may the region change this indicator's evidence now?"""
    if policy not in _revision:
        _revision.append(policy)
    return policy


def submitted(assessment: Assessment, user: User) -> None:
    """Runs every registered handler after an assessment was submitted."""
    for handler in _submitted:
        handler(assessment, user)


def open_for_revision(assessment: Assessment, indicator: Indicator) -> bool:
    """True when a registered policy lets the region change this indicator of a submitted assessment."""
    return any(policy(assessment, indicator) for policy in _revision)


def registered() -> tuple[tuple[SubmittedHandler, ...], tuple[RevisionPolicy, ...]]:
    """What is registered (for the test that checks the wiring)."""
    return tuple(_submitted), tuple(_revision)
