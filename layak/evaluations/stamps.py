"""Generation counters of an assessment and of a cycle: the stamps the score pages are cached under (decision 0032).

- `assessment:<pk>` moves on every write of what the pages of one assessment show: the assessment's status, its
  answers, evidence links and assignments (this app), the linked evidence items and their files (a change of an
  evidence item bumps every assessment linking it), its region's OPDs (a name or a deactivation), and the review's
  rows (state, grades, stage scores, final result, pins, reviewers, …: `layak.reviews` connects its models in its
  AppConfig);
- `cycle:<pk>` moves on any save or delete of the cycle (its name, windows, publication) or of its extensions;
- `cycle-results:<pk>` moves when the cycle's results table may change: an assessment added or removed, a stage
  score or a final result written (`layak.reviews`).

Model saves and deletes bump them through signals (`connect_bumps`); bulk writes and queryset updates, which send
no signals, call `assessments_changed` themselves. Pages read the generations they need in one
`generations.generations` call (one round trip to the shared cache) instead of a stamp query (decision 0032).

An assessment's region and cycle never change: `assessment_place` keeps them per process, so a page knows which
cycle's generation to read and whether the user may see the region before it reads anything else.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models.signals import post_delete, post_save

from layak.common.generations import bump_many_on_commit

from .models import (
    Answer,
    AnswerEvidence,
    Assessment,
    Cycle,
    CycleExtension,
    IndicatorAssignment,
    QuestionAnswer,
    QuestionAssignment,
    QuestionEvidence,
)


def assessment_generation(pk: int) -> str:
    return f"assessment:{pk}"


def cycle_generation(pk: int) -> str:
    return f"cycle:{pk}"


def cycle_results_generation(pk: int) -> str:
    return f"cycle-results:{pk}"


# Assessment id -> (region code, cycle id): facts that never change once the row exists.
_PLACES: dict[int, tuple[str, int]] = {}
_PLACES_MAX = 20000


def assessment_place(pk: int) -> tuple[str, int] | None:
    """The assessment's region code and cycle id (kept per process: they never change), None if there is no such
    assessment."""
    found = _PLACES.get(pk)
    if found is None:
        row = Assessment.objects.filter(pk=pk).values_list("region_id", "cycle_id").first()
        if row is None:
            return None
        if len(_PLACES) >= _PLACES_MAX:
            _PLACES.clear()
        found = _PLACES[pk] = (row[0], row[1])
    return found


def forget_places() -> None:
    """Empties the per-process map (tests, which reuse ids after a rollback)."""
    _PLACES.clear()


def assessments_changed(ids: Iterable[int], *, results: bool = False, cycles: Iterable[int] = ()) -> None:
    """Bumps the generation of each assessment (now and after the commit); `results` also bumps the results
    generation of their cycles (a stage score, a final result or the set of assessments changed), `cycles` when
    the caller knows them. For writes that send no model signal: bulk_create, bulk_update, queryset update or
    delete, raw SQL."""
    ids = [pk for pk in dict.fromkeys(ids) if pk is not None]
    names = [assessment_generation(pk) for pk in ids]
    cycle_ids = set(cycles)
    if results and not cycle_ids:
        cycle_ids = {place[1] for pk in ids if (place := assessment_place(pk)) is not None}
    names += [cycle_results_generation(pk) for pk in cycle_ids]
    bump_many_on_commit(names)


def cycles_changed(ids: Iterable[int]) -> None:
    """Bumps the cycles' generations and results generations (a queryset update of cycles sends no signal)."""
    names = []
    for pk in ids:
        names += [cycle_generation(pk), cycle_results_generation(pk)]
    bump_many_on_commit(names)


def _by_assessment(sender, instance, **kwargs) -> None:
    assessments_changed([instance.assessment_id])


def _by_assessment_row(sender, instance, signal=None, **kwargs) -> None:
    if signal is post_delete:
        _PLACES.pop(instance.pk, None)
    bump_many_on_commit([assessment_generation(instance.pk), cycle_results_generation(instance.cycle_id)])


def _by_cycle(sender, instance, **kwargs) -> None:
    cycles_changed([instance.pk])


def _by_extension(sender, instance, **kwargs) -> None:
    bump_many_on_commit([cycle_generation(instance.cycle_id)])


def _by_evidence(sender, instance, created=False, **kwargs) -> None:
    if not created:  # a new item is linked to nothing yet (linking it bumps the assessment)
        evidence_changed(instance.pk)


def _by_evidence_version(sender, instance, **kwargs) -> None:
    evidence_changed(instance.evidence_id)


def evidence_changed(evidence_id: int) -> None:
    """Bumps every assessment that links the evidence item (its title, file or versions show on their pages)."""
    linked = set(AnswerEvidence.objects.filter(evidence_id=evidence_id).values_list("assessment_id", flat=True))
    linked |= set(QuestionEvidence.objects.filter(evidence_id=evidence_id).values_list("assessment_id", flat=True))
    for hook in _EVIDENCE_LINKS:
        linked |= set(hook(evidence_id))
    assessments_changed(linked)


def _by_agency(sender, instance, **kwargs) -> None:
    """An OPD's name or state shows on its region's assessments (the overview's per-OPD progress, each question's
    OPD): an OPD is renamed or deactivated rarely, and its region has one assessment per cycle."""
    assessments_changed(Assessment.objects.filter(region_id=instance.region_id).values_list("pk", flat=True))


# Other apps' links from an assessment to evidence (the review's pins): functions giving the assessment ids.
_EVIDENCE_LINKS: list[Any] = []


def on_evidence_linked(finder: Any) -> None:
    """Registers a function evidence id -> assessment ids whose pages show that evidence."""
    if finder not in _EVIDENCE_LINKS:
        _EVIDENCE_LINKS.append(finder)


def connect_bumps(models_with_assessment: Iterable[type], *, label: str) -> None:
    """Bumps `assessment:<assessment_id>` after any save or delete of these models (rows of one assessment)."""
    for model in models_with_assessment:
        for signal in (post_save, post_delete):
            signal.connect(_by_assessment, sender=model, weak=False, dispatch_uid=f"{label}:{model.__name__}")


def connect_evaluations() -> None:
    """This app's models and the evidence app's (called from EvaluationsConfig.ready)."""
    from layak.accounts.models import Agency
    from layak.evidence.models import Evidence, EvidenceVersion

    connect_bumps(
        [Answer, AnswerEvidence, IndicatorAssignment, QuestionAnswer, QuestionEvidence, QuestionAssignment],
        label="evaluations-stamps",
    )
    pairs = [
        (Assessment, _by_assessment_row),
        (Cycle, _by_cycle),
        (CycleExtension, _by_extension),
        (Evidence, _by_evidence),
        (EvidenceVersion, _by_evidence_version),
        (Agency, _by_agency),
    ]
    for model, receiver in pairs:
        for signal in (post_save, post_delete):
            signal.connect(receiver, sender=model, weak=False, dispatch_uid=f"evaluations-stamps:{model.__name__}")
