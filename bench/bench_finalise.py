"""Finalising every region of a national kla-2024 cycle through the review service, on PostgreSQL.

Uses the database of `bench_deadline` (`BENCH_DATABASE_URL`, PostgreSQL; built by `bench_instrument._world` when
missing, kept with `BENCH_REUSE=1`): the 514 assessments are put at the finalisation stage with a field-stage
snapshot (their self-score, bulk-inserted: this measures finalising, not the stages before), the finalisation
window opened, and a national admin finalises each one with `review_transition(action="finalise")`, exactly as
the button does (row lock, guarded state, permission, window, final snapshot, final result, audit event,
notices). Reported: seconds for all, milliseconds and queries per region. Everything it added is removed again.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
    from layak.evaluations.scoring_input import instrument_rules_load, instrument_scores_bulk
    from layak.reviews.choices import ReviewState, ScoreStage
    from layak.reviews.models import ReviewProcess, ScoreSnapshot

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
    rules = instrument_rules_load(cycle.framework)
    scores = instrument_scores_bulk(ids, rules)
    Assessment.objects.filter(pk__in=ids).update(status=AssessmentStatus.SUBMITTED, submitted_at=now)
    ReviewProcess.objects.filter(assessment_id__in=ids).delete()
    ReviewProcess.objects.bulk_create(
        [ReviewProcess(assessment_id=pk, state=ReviewState.FINALISATION) for pk in ids], batch_size=1000
    )
    ScoreSnapshot.objects.filter(assessment_id__in=ids).delete()
    ScoreSnapshot.objects.bulk_create(
        [
            ScoreSnapshot(
                assessment_id=pk,
                stage=ScoreStage.FIELD,
                total=score.total,
                max_total=score.max_total,
                band_code=score.predicate.code if score.predicate else "",
                groups={code: {"points": f"{p:.2f}", "max": f"{m:.2f}"} for code, (p, m) in score.groups.items()},
                indicators={
                    i.code: {"points": f"{i.points:.2f}", "max": f"{i.max_points:.2f}"} for i in score.indicators
                },
            )
            for pk, score in scores.items()
            for rows in [score.indicators]
        ],
        batch_size=500,
    )
    return cycle, admin, assessments


def _clean(cycle, assessments, since) -> None:
    from layak.audit.models import AuditEvent
    from layak.evaluations.choices import AssessmentStatus
    from layak.evaluations.models import Assessment
    from layak.notifications.models import Notification
    from layak.reviews.models import FinalResult, ReviewProcess, ScoreSnapshot

    ids = [a.pk for a in assessments]
    FinalResult.objects.filter(assessment_id__in=ids).delete()
    ScoreSnapshot.objects.filter(assessment_id__in=ids).delete()
    ReviewProcess.objects.filter(assessment_id__in=ids).delete()
    AuditEvent.objects.filter(verb="review.finalise", created_at__gte=since).delete()
    Notification.objects.filter(created_at__gte=since).delete()
    Assessment.objects.filter(pk__in=ids).update(status=AssessmentStatus.DRAFT, submitted_at=None)


def run() -> dict[str, tuple[float, str]]:
    with tempfile.TemporaryDirectory(prefix="layak-bench-finalise-") as folder:
        if not _setup(folder):
            print("bench_finalise: set BENCH_DATABASE_URL=postgres://… (PostgreSQL only)", file=sys.stderr)
            return {"skipped (no BENCH_DATABASE_URL)": (0, "")}
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        from layak.reviews.choices import ReviewState
        from layak.reviews.models import FinalResult, ReviewProcess
        from layak.reviews.services import review_transition

        since = timezone.now()
        cycle, admin, assessments = _world()
        try:
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                for assessment in assessments:
                    review_transition(
                        user=admin, assessment=assessment, action="finalise", expected_state=ReviewState.FINALISATION
                    )
            elapsed = time.perf_counter() - started
            finalised = ReviewProcess.objects.filter(assessment__cycle=cycle, state=ReviewState.FINALISED).count()
            results = FinalResult.objects.filter(assessment__cycle=cycle).count()
        finally:
            _clean(cycle, assessments, since)
    figures = {
        "regions finalised": (finalised, "regions"),
        "final results": (results, "results"),
        "finalise all": (elapsed, "s"),
        "per region": (elapsed / len(assessments) * 1000, "ms"),
        "queries per region": (len(queries) / len(assessments), "queries"),
    }
    print(figures, file=sys.stderr)
    return figures
