"""Where the evidence library talks to the apps above it without importing them.

Dependencies point down (docs/decisions/0007-evaluations-hooks.md). Two hooks, each registered in the higher
app's `AppConfig.ready()`:

- a *replace policy*: the reviews app knows which files were submitted for verification and pins them.
  Replacing the file of an evidence item asks every policy first; the first refusal (a sentence for the
  person) stops it.
- a *file replaced* notice: handlers (the readiness checks) run after the commit, robustly: an error there is
  logged and never undoes or fails the replacement.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from django.db import transaction

if TYPE_CHECKING:
    from layak.accounts.models import User

    from .models import Evidence

ReplacePolicy = Callable[["Evidence", "User"], "str | None"]
ReplacedHandler = Callable[[int], object]

_replace: list[ReplacePolicy] = []
_replaced: list[ReplacedHandler] = []


def on_replace_check(policy: ReplacePolicy) -> ReplacePolicy:
    """Registers `policy(evidence, user) -> refusal or None`, asked before an evidence file is replaced."""
    if policy not in _replace:
        _replace.append(policy)
    return policy


def replace_refusal(evidence: Evidence, user: User) -> str | None:
    """Why this user may not replace this evidence's file now (the first policy's refusal), or None."""
    for policy in _replace:
        refusal = policy(evidence, user)
        if refusal:
            return refusal
    return None


def registered() -> tuple[ReplacePolicy, ...]:
    """The replace policies registered (for the test that checks the wiring)."""
    return tuple(_replace)


def on_file_replaced(handler: ReplacedHandler) -> ReplacedHandler:
    """Registers `handler(evidence_id)`, called after an evidence item's file was replaced."""
    if handler not in _replaced:
        _replaced.append(handler)
    return handler


def file_replaced(evidence_id: int) -> None:
    """Schedules every handler for after the current transaction commits."""
    for handler in _replaced:
        transaction.on_commit(partial(handler, evidence_id), robust=True)
