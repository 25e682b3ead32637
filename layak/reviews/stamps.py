"""One query that changes whenever anything the score pages of an assessment show changes (decision 0028).

The report page (`layak.reports`) and the what-if are rendered once per stamp and shared by everyone who may see
them; every write to what they read moves a count, a newest time or id, or a generation counter.
"""

from __future__ import annotations

import hashlib

from django.db import connection

from layak.common.generations import generation
from layak.evaluations.models import (
    Answer,
    AnswerEvidence,
    Assessment,
    IndicatorAssignment,
    QuestionAnswer,
    QuestionAssignment,
    QuestionEvidence,
)
from layak.evidence.models import Evidence, EvidenceVersion
from layak.frameworks.selectors import FRAMEWORKS_GENERATION
from layak.regions.selectors import REGIONS_GENERATION

from .models import EvidencePin, FinalResult, IndicatorReview, QuestionGrade, ScoreSnapshot

#: The tables of an assessment a report reads, each with the column that moves when a row is added or changed.
_REPORT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Answer", "updated_at"),
    ("AnswerEvidence", "id"),
    ("IndicatorAssignment", "assigned_at"),
    ("QuestionAnswer", "updated_at"),
    ("QuestionEvidence", "id"),
    ("QuestionAssignment", "assigned_at"),
    ("ScoreSnapshot", "computed_at"),
    ("FinalResult", "decided_at"),
    ("IndicatorReview", "updated_at"),
    ("QuestionGrade", "updated_at"),
    ("EvidencePin", "id"),
)
_REPORT_SOURCES = (
    Answer,
    AnswerEvidence,
    IndicatorAssignment,
    QuestionAnswer,
    QuestionEvidence,
    QuestionAssignment,
    ScoreSnapshot,
    FinalResult,
    IndicatorReview,
    QuestionGrade,
    EvidencePin,
    Evidence,
    EvidenceVersion,
    Assessment,
)

#: Bumped on any save or delete of an agency (OPD): the score pages name the agency of each indicator or question.
AGENCIES_GENERATION = "agencies"


def assessment_stamp(assessment: Assessment) -> str:
    """What the score pages of one assessment (the report, the what-if) are built from, in one query over
    columns indexed by assessment: its answers, evidence links (and the linked items' titles and files),
    assignments, stage scores (`computed_at` moves on every write, recompute included), final result, reviewer
    scores, grades and pinned evidence; plus the assessment's status, the cycle's and version's names and the
    generations of regions, frameworks and agencies. Counts see deletions, the newest time or id sees additions
    and changes."""
    q = connection.ops.quote_name
    t = {m.__name__: q(m._meta.db_table) for m in _REPORT_SOURCES}
    a = q("assessment_id")
    parts_sql = []
    for name, moved in _REPORT_COLUMNS:
        parts_sql.append(f"(SELECT COUNT(*) FROM {t[name]} WHERE {a} = %s)")
        parts_sql.append(f"(SELECT MAX({q(moved)}) FROM {t[name]} WHERE {a} = %s)")
    evidence, version = t["Evidence"], t["EvidenceVersion"]
    for link in ("AnswerEvidence", "QuestionEvidence"):
        joined = f"JOIN {t[link]} x ON x.{q('evidence_id')} = e.{q('id')} WHERE x.{a} = %s"
        parts_sql.append(f"(SELECT MAX(e.{q('updated_at')}) FROM {evidence} e {joined})")
        joined = f"JOIN {t[link]} x ON x.{q('evidence_id')} = e.{q('evidence_id')} WHERE x.{a} = %s"
        parts_sql.append(f"(SELECT MAX(e.{q('id')}) FROM {version} e {joined})")
    assessment_table = t["Assessment"]
    parts_sql.append(f"(SELECT {q('status')} FROM {assessment_table} WHERE {q('id')} = %s)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts_sql), [assessment.pk] * len(parts_sql))
        row = cursor.fetchone()
    cycle = assessment.cycle
    parts = (*row, cycle.name, cycle.year, cycle.framework.display_name, cycle.framework.frozen_at)
    parts += tuple(generation(name) for name in (REGIONS_GENERATION, FRAMEWORKS_GENERATION, AGENCIES_GENERATION))
    return hashlib.sha1("|".join(map(str, parts)).encode(), usedforsecurity=False).hexdigest()[:16]
