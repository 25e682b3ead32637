"""A notice the evidence library gives the apps above it without importing them: an item's file was replaced.

Handlers (the readiness checks) run after the commit, robustly: an error there is logged and never undoes or
fails the replacement. Registered in the higher app's `AppConfig.ready()`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.db import transaction

ReplacedHandler = Callable[[int], object]
_replaced: list[ReplacedHandler] = []


def on_file_replaced(handler: ReplacedHandler) -> ReplacedHandler:
    """Registers `handler(evidence_id)`."""
    if handler not in _replaced:
        _replaced.append(handler)
    return handler


def file_replaced(evidence_id: int) -> None:
    """Schedules every handler for after the current transaction commits."""
    for handler in _replaced:
        transaction.on_commit(partial(handler, evidence_id), robust=True)
