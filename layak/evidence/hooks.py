"""Where the evidence library asks the apps above it whether a file may change, without importing them.

Dependencies point down (docs/decisions/0007-evaluations-hooks.md): the reviews app knows which files were
submitted for verification and pins them; it registers a policy here in its `AppConfig.ready()`. Replacing the
file of an evidence item asks every policy first; the first refusal (a sentence for the person) stops it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from layak.accounts.models import User

    from .models import Evidence

ReplacePolicy = Callable[["Evidence", "User"], "str | None"]

_replace: list[ReplacePolicy] = []


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
    """What is registered (for the test that checks the wiring)."""
    return tuple(_replace)
