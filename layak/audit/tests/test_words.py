"""Every audit verb in the code reads as a sentence in both languages; none shows its code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import timezone, translation

from layak.audit.models import AuditEvent
from layak.audit.words import AuditWords, audit_details, audit_line, audit_sentence, wordings
from layak.reviews.choices import ReviewAction

ROOT = Path(__file__).resolve().parents[2]
VERB = re.compile(r"""(?:verb=|_audit\(\s*\w+,\s*)"([a-z_]+\.[a-z_]+)\"""")


def verbs_in_code() -> set[str]:
    found = set()
    for path in ROOT.rglob("*.py"):
        if "/tests/" in str(path) or "/migrations/" in str(path):
            continue
        found |= set(VERB.findall(path.read_text()))
    return found | {f"review.{action}" for action in ReviewAction.values}


def test_every_verb_in_the_code_has_a_wording():
    missing = sorted(verbs_in_code() - set(wordings()))
    assert not missing, f"Word these audit verbs in the app's audit_words.py (layak.audit.words): {missing}"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_wording_reads_without_codes(lang, db):
    event = AuditEvent(
        verb="", target_type="evaluations.assessment", target_id="0", summary="K1 r2", created_at=timezone.now()
    )
    event.before = {"state": "province_verification", "values": {}, "reviewer": 0, "stage": "province"}
    event.after = {"state": "central_review", "comment": "ok", "deadline": "2026-12-03T14:02:00+07:00", "total": "1"}
    with translation.override(lang):
        for verb in wordings():
            event.verb = verb
            line = audit_line(event, AuditWords())
            assert verb not in line and "%(" not in line and "province_verification" not in line, line
            audit_details(event, AuditWords())


def test_an_approval_reads_as_a_sentence_with_the_time(db):
    event = AuditEvent(
        verb="review.approve",
        target_type="evaluations.assessment",
        target_id="1",
        before={"state": "province_verification"},
        after={"state": "central_review", "comment": "", "total": "806.66", "band": "utama"},
        created_at=timezone.make_aware(timezone.datetime(2026, 12, 3, 14, 2)),
    )
    with translation.override("id"):
        assert audit_line(event).endswith("menyetujui verifikasi administrasi provinsi · 3 Des 2026 14.02")
        assert ("Nilai pada tahap ini", "806,66") in audit_details(event)
    with translation.override("en"):
        assert audit_sentence(event) == "Layak (automatic) approved the province verification"


def test_an_unknown_verb_still_reads_as_words(db):
    event = AuditEvent(verb="something.new", target_type="x.y", target_id="1", created_at=timezone.now())
    with translation.override("en"):
        assert audit_sentence(event) == "Layak (automatic) made a change"
