"""Finalising every region of a national kla-2024 cycle, on PostgreSQL: the bulk path and the per-region baseline.

Uses the database of `BENCH_DATABASE_URL` (PostgreSQL; built by `bench_instrument._world` when missing, kept
with `BENCH_REUSE=1`): 514 kab/kota x 274 answered questions. The 514 assessments are put at the objection stage
with its period over (what `announce` leaves: a provisional final snapshot and a closed objection period), with
question grades at the province (30 questions per region), central (15) and field (8) stages, bulk-inserted:
this measures finalising, not the stages before. A national admin then
- finalises all of them with `finalise_bulk.finalise_bulk` (the button on the progress page): reported are the
  plan (the confirmation page's read), the act, and their queries;
- as the baseline, finalises `BENCH_BASELINE` regions (50 by default; 514 for all) one by one with
  `review_transition(action="finalise")`, exactly as the per-region button does, extrapolated to 514.
The final scores of the baseline's regions are compared with the bulk path's. Everything added is removed again.
Run: BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/layak_x .venv/bin/python bench/run.py finalise
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRADED = {"province": 30, "central": 15, "field": 8}


def _setup(folder: str) -> bool:
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url.startswith("postgres"):
        return False
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DJANGO_ALLOWED_HOSTS="testserver",
        LAYAK_MEDIA_ROOT=str(Path(folder) / "media"),
    )
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    import django

    django.setup()
    return True


def _world():
    from django.core.management import call_command
    from django.utils import timezone

    from layak.accounts.choices import Role
    from layak.accounts.models import RoleAssignment, User
    from layak.evaluations.choices import AssessmentStatus
    from layak.evaluations.models import Assessment, Cycle
    from layak.frameworks.models import Question
    from layak.reviews import grading
    from layak.reviews.choices import ReviewState, ScoreStage
    from layak.reviews.models import ObjectionPeriod, QuestionGrade, ReviewProcess, ScoreSnapshot

    call_command("migrate", verbosity=0)
    cycle = Cycle.objects.filter(name="Bench 2024").first()
    if cycle is None or os.environ.get("BENCH_REUSE") != "1":
        call_command("flush", interactive=False, verbosity=0)
        import bench_instrument

        cycle, _jakpus, _coordinator = bench_instrument._world()
    now = timezone.now()
    cycle.finalisation_start, cycle.finalisation_end = now - timedelta(days=1), now + timedelta(days=10)
    cycle.save(update_fields=["finalisation_start", "finalisation_end"])
    admin, _new = User.objects.get_or_create(username="bench_admin", defaults={"full_name": "Admin Nasional"})
    RoleAssignment.objects.get_or_create(user=admin, role=Role.NATIONAL_ADMIN, region=None)
    assessments = list(Assessment.objects.filter(cycle=cycle).select_related("cycle__framework", "region"))
    ids = [a.pk for a in assessments]
    _clean(cycle, assessments, now)
    Assessment.objects.filter(pk__in=ids).update(status=AssessmentStatus.SUBMITTED, submitted_at=now)
    ReviewProcess.objects.bulk_create(
        [ReviewProcess(assessment_id=pk, state=ReviewState.OBJECTION) for pk in ids], batch_size=1000
    )
    ObjectionPeriod.objects.bulk_create(
        [ObjectionPeriod(assessment_id=pk, closes_at=now - timedelta(hours=1), done_at=now) for pk in ids],
        batch_size=1000,
    )
    questions = list(Question.objects.filter(indicator__version=cycle.framework).order_by("pk"))
    grades, levels = [], {"province": "1/2", "central": "3/4", "field": "1"}
    for n, pk in enumerate(ids):
        for stage, count in GRADED.items():
            for question in questions[n % 50 : n % 50 + count]:
                points = grading.level_points(levels[stage], question.max_points)
                grades.append(
                    QuestionGrade(
                        assessment_id=pk,
                        stage=stage,
                        question=question,
                        level=levels[stage],
                        points=points,
                        previous_points=points,
                    )
                )
    QuestionGrade.objects.bulk_create(grades, batch_size=5000)
    provisional = {"total": 0, "max_total": 1000, "band_code": "", "groups": {}, "indicators": {}}
    ScoreSnapshot.objects.bulk_create(
        [
            ScoreSnapshot(assessment_id=pk, stage=stage, **provisional)
            for pk in ids
            for stage in (ScoreStage.FIELD, ScoreStage.FINAL)
        ],
        batch_size=1000,
    )
    return cycle, admin, assessments


def _clean(cycle, assessments, since) -> None:
    from layak.audit.models import AuditEvent
    from layak.evaluations.choices import AssessmentStatus
    from layak.evaluations.models import Assessment
    from layak.notifications.models import Notification
    from layak.reviews.models import FinalResult, ObjectionPeriod, QuestionGrade, ReviewProcess, ScoreSnapshot

    ids = [a.pk for a in assessments]
    FinalResult.objects.filter(assessment_id__in=ids).delete()
    ScoreSnapshot.objects.filter(assessment_id__in=ids).delete()
    QuestionGrade.objects.filter(assessment_id__in=ids).delete()
    ObjectionPeriod.objects.filter(assessment_id__in=ids).delete()
    ReviewProcess.objects.filter(assessment_id__in=ids).delete()
    AuditEvent.objects.filter(verb="review.finalise", created_at__gte=since).delete()
    Notification.objects.filter(created_at__gte=since).delete()
    Assessment.objects.filter(pk__in=ids).update(status=AssessmentStatus.DRAFT, submitted_at=None)


def _back_to_objection(assessments, since) -> None:
    """Undoes a finalisation (results, states, events) so the other path starts from the same data."""
    from layak.audit.models import AuditEvent
    from layak.reviews.choices import ReviewState
    from layak.reviews.models import FinalResult, ReviewProcess

    ids = [a.pk for a in assessments]
    FinalResult.objects.filter(assessment_id__in=ids).delete()
    ReviewProcess.objects.filter(assessment_id__in=ids).update(state=ReviewState.OBJECTION)
    AuditEvent.objects.filter(verb="review.finalise", created_at__gte=since).delete()


def run() -> dict[str, tuple[float, str]]:
    with tempfile.TemporaryDirectory(prefix="layak-bench-finalise-") as folder:
        if not _setup(folder):
            print("bench_finalise: set BENCH_DATABASE_URL=postgres://… (PostgreSQL only)", file=sys.stderr)
            return {"skipped (no BENCH_DATABASE_URL)": (0, "")}
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        from layak.audit.models import AuditEvent
        from layak.reviews.choices import ReviewState
        from layak.reviews.finalise_bulk import finalise_bulk, finalise_plan
        from layak.reviews.models import FinalResult, ReviewProcess
        from layak.reviews.services import review_transition

        since = timezone.now()
        cycle, admin, assessments = _world()
        baseline = assessments[: int(os.environ.get("BENCH_BASELINE", "50"))]
        try:
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as plan_queries:
                plan = finalise_plan(user=admin, cycle=cycle)
            plan_s = time.perf_counter() - started
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as bulk_queries:
                done = finalise_bulk(user=admin, cycle=cycle, expected=plan.ready)
            bulk_s = time.perf_counter() - started
            finalised = ReviewProcess.objects.filter(assessment__cycle=cycle, state=ReviewState.FINALISED).count()
            events = AuditEvent.objects.filter(verb="review.finalise", created_at__gte=since).count()
            bulk_scores = dict(
                FinalResult.objects.filter(assessment__in=baseline).values_list("assessment_id", "score")
            )
            _back_to_objection(assessments, since)
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as single_queries:
                for assessment in baseline:
                    review_transition(
                        user=admin, assessment=assessment, action="finalise", expected_state=ReviewState.OBJECTION
                    )
            single_s = time.perf_counter() - started
            single_scores = dict(
                FinalResult.objects.filter(assessment__in=baseline).values_list("assessment_id", "score")
            )
        finally:
            _clean(cycle, assessments, since)
    per_region = single_s / len(baseline)
    figures = {
        "regions ready (plan)": (len(plan.ready), "regions"),
        "regions finalised (bulk)": (len(done.finalised), "regions"),
        "states finalised": (finalised, "regions"),
        "audit events": (events, "events"),
        "bulk: plan (confirmation page read)": (plan_s, "s"),
        "bulk: plan queries": (len(plan_queries), "queries"),
        "bulk: finalise all": (bulk_s, "s"),
        "bulk: finalise queries": (len(bulk_queries), "queries"),
        "bulk: plan + finalise": (plan_s + bulk_s, "s"),
        "per region: regions measured": (len(baseline), "regions"),
        "per region: ms each": (per_region * 1000, "ms"),
        "per region: queries each": (len(single_queries) / len(baseline), "queries"),
        "per region: 514 extrapolated": (per_region * len(assessments), "s"),
        "scores equal (baseline regions)": (float(bulk_scores == single_scores), "yes=1"),
    }
    print(figures, file=sys.stderr)
    return figures
