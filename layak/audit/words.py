"""Audit events in words: "Verifikator DKI menyetujui verifikasi provinsi · 3 Des 2026 14.02".

Every timeline shows events through `audit_sentence` (and `audit_details` for what changed), never the verb,
the summary or the before/after dictionaries. Each app words its own verbs in `layak/<app>/audit_words.py`:

    from layak.audit.words import wording
    wording("assessment.submitted", _("%(actor)s submitted the self-assessment"))
    wording("review.approve", _("%(actor)s approved the %(stage)s"), fill=lambda e, w: {"stage": ...})

`fill(event, words)` returns the sentence's other placeholders; `details(event, words)` returns (label, value)
pairs in words. `words` is an `AuditWords` shared by one rendering (a page of events), for lookups that are
made once per page. tests/test_audit_words.py fails for any verb in the code without a wording.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.utils.translation import gettext as _

from layak.common.numbers import format_datetime

from .models import AuditEvent

Fill = Callable[[AuditEvent, "AuditWords"], dict[str, Any]]
Details = Callable[[AuditEvent, "AuditWords"], list[tuple[str, str]]]


@dataclass(frozen=True)
class Wording:
    """How one verb reads: a sentence with %(actor)s and the placeholders `fill` gives, and optional details."""

    sentence: Any
    fill: Fill | None = None
    details: Details | None = None


WORDINGS: dict[str, Wording] = {}
_discovered = False


def wording(verb: str, sentence: Any, *, fill: Fill | None = None, details: Details | None = None) -> None:
    """Registers how `verb` reads (call it at import time of the app's audit_words module)."""
    WORDINGS[verb] = Wording(sentence, fill, details)


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    for config in apps.get_app_configs():
        if config.name.startswith("layak."):
            try:
                importlib.import_module(f"{config.name}.audit_words")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.audit_words":
                    raise
    _discovered = True


def wordings() -> dict[str, Wording]:
    """Every registered wording (after loading each app's audit_words)."""
    _discover()
    return WORDINGS


@dataclass
class AuditWords:
    """Lookups shared by the events of one page (a name per indicator, per user...), each made once."""

    cache: dict[str, Any] = field(default_factory=dict)

    def once(self, key: str, build: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = build()
        return self.cache[key]


def actor_name(event: AuditEvent) -> str:
    """Who acted: the account's name, the name kept on the event when the account was deleted, or Layak."""
    if event.actor_id and event.actor:
        return event.actor.display_name
    return event.actor_name or _("Layak (automatic)")


def audit_sentence(event: AuditEvent, words: AuditWords | None = None) -> str:
    """What happened, in one sentence in the page's language; never the event's code."""
    words = words or AuditWords()
    found = wordings().get(event.verb)
    values: dict[str, Any] = {"actor": actor_name(event)}
    if found is None:
        return _("%(actor)s made a change") % values
    if found.fill is not None:
        values |= found.fill(event, words)
    return str(found.sentence) % values


def audit_line(event: AuditEvent, words: AuditWords | None = None) -> str:
    """The sentence and the time: "Verifikator DKI menyetujui verifikasi provinsi · 3 Des 2026 14.02"."""
    return f"{audit_sentence(event, words)} · {format_datetime(event.created_at)}"


def audit_details(event: AuditEvent, words: AuditWords | None = None) -> list[tuple[str, str]]:
    """(label, value) pairs in words for what the event changed; empty when there is nothing more to say."""
    found = wordings().get(event.verb)
    if found is None or found.details is None:
        return []
    return [(str(label), str(value)) for label, value in found.details(event, words or AuditWords()) if value]


def after(event: AuditEvent, key: str, default: Any = "") -> Any:
    return (event.after or {}).get(key, default)


def before(event: AuditEvent, key: str, default: Any = "") -> Any:
    return (event.before or {}).get(key, default)


def when_words(iso: str) -> str:
    """A moment stored as ISO text in an event ("2026-12-03T14:02:00+07:00") as people read it."""
    from django.utils.dateparse import parse_datetime

    moment = parse_datetime(iso) if iso else None
    return format_datetime(moment) if moment else ""


def first_lower(text: str) -> str:
    """A label inside a sentence: "Province verification" -> "province verification" (acronyms kept)."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def summary_name(event: AuditEvent, _words: AuditWords | None = None) -> dict[str, str]:
    """The event's summary as the name of the thing (a training's title, a partner's name)."""
    return {"name": event.summary}
