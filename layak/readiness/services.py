"""Running the readiness checks over an assessment, and the two human inputs: a flag marked wrong, a check off.

`run_readiness(assessment_id)` is a plain function a background job can call; until the job queue is wired, the
`answers_changed` and `file_replaced` hooks call it after the commit of the change (robustly: a failure is logged
and never touches the save). A run reads each file once (its facts are kept per stored file), builds the items
(every data element that has evidence linked, or whose rule asks something of its evidence, of the answered
indicators), runs the enabled checks and stores the flags: those still found keep their verifier marks, new ones
are added, fixed ones removed. Points at risk: the item's self-score points times the share the check puts at
risk (checks.CHECKS).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from layak.accounts.models import User
from layak.accounts.selectors import user_is_national_admin
from layak.audit.services import audit_record
from layak.evaluations.models import Answer, AnswerEvidence, Assessment
from layak.evaluations.prefill import computed_values
from layak.evaluations.scoring_input import Inputs as ScoringInputs
from layak.evaluations.scoring_input import evidence_attached, rules_load, score_answers, supported_element
from layak.evidence.models import Evidence, StoredFile
from layak.frameworks.choices import ElementType
from layak.frameworks.models import Indicator
from layak.regions.choices import RegionLevel
from layak.regions.models import Region

from . import permissions
from .checks import CHECKS, DECREE, Context, Document, Finding, Item, Rule, run_checks
from .extract import extract
from .facts import Facts, facts_of
from .models import CheckSetting, DocumentFacts, Flag, WrongMark
from .rules import rule_for

log = logging.getLogger(__name__)

MAX_READ_BYTES = 25 * 1024 * 1024  # a larger file is not read (the evidence limit is 20 MB by default)
CENTS = Decimal("0.01")


def enabled_checks() -> set[str]:
    """The checks no national admin has turned off."""
    off = set(CheckSetting.objects.filter(enabled=False).values_list("check_code", flat=True))
    return set(CHECKS) - off


def file_facts(stored: StoredFile, title: str = "") -> Facts:
    """The facts of a stored file, read once per file and kept."""
    kept = DocumentFacts.objects.filter(file=stored).first()
    if kept is not None:
        return Facts.from_dict(kept.facts)
    if stored.size > MAX_READ_BYTES:
        facts = Facts(status="too_large")
    else:
        with default_storage.open(stored.storage_name, "rb") as handle:
            data = handle.read(MAX_READ_BYTES)
        facts = facts_of(extract(data, stored.content_type), title)
    DocumentFacts.objects.update_or_create(file=stored, defaults={"facts": facts.as_dict()})
    return facts


def _title_facts(facts: Facts, title: str) -> Facts:
    """A title naming the document kind counts too (a file read once may be attached under several titles)."""
    lowered = title.lower()
    if "matriks" in lowered or "matrix" in lowered:
        facts.is_matriks = True
    if lowered.startswith("sk ") or " sk " in f" {lowered} " or "keputusan" in lowered:
        facts.is_decree = True
    return facts


@dataclass(frozen=True)
class ItemPoints:
    """The self-score points one item earns now (the engine's criterion points, rounded to cents)."""

    indicator_id: int
    code: str
    points: Decimal


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENTS, rounding=ROUND_HALF_UP)


def assessment_items(
    assessment: Assessment,
) -> tuple[list[Item], dict[str, ItemPoints], dict[str, Indicator], Context]:
    """The assessment's items with their documents and facts, each item's points now, and the check context."""
    framework = assessment.cycle.framework
    rules = rules_load(framework)
    answers = {a.indicator_id: a for a in Answer.objects.filter(assessment=assessment)}
    links = list(
        AnswerEvidence.objects.filter(assessment=assessment)
        .select_related("evidence__current_file")
        .order_by("indicator_id", "element_code", "pk")
    )
    inputs = ScoringInputs({pk: a.values for pk, a in answers.items()}, evidence_attached(assessment, rules.indicators))
    score = score_answers(rules, inputs)
    earned = {
        (result.code, criterion.element): criterion.points
        for result in score.indicators
        for criterion in result.criteria
    }
    facts_cache: dict[int, Facts] = {}
    docs: dict[tuple[int, str], list[Document]] = {}
    for link in links:
        indicator = rules.by_id.get(link.indicator_id)
        if indicator is None:
            continue
        supported = supported_element(rules.documents.get(indicator.pk, []), link.element_code) or link.element_code
        docs.setdefault((indicator.pk, supported), []).append(_document(link.evidence, facts_cache))
    items: list[Item] = []
    points: dict[str, ItemPoints] = {}
    by_key: dict[str, Indicator] = {}
    for indicator in rules.indicators:
        answer = answers.get(indicator.pk)
        values: Mapping[str, Any] = answer.values if answer else {}
        provenance: Mapping[str, Any] = answer.provenance if answer else {}
        elements = list(indicator.elements.all())
        element_rules = {
            e.code: rule_for(framework.slug, indicator.code, e.code, f"{e.label} {e.evidence_hint}") for e in elements
        }
        whole = _assign_whole(docs.pop((indicator.pk, ""), []), element_rules, docs, indicator.pk)
        for element in elements:
            attached = docs.get((indicator.pk, element.code), [])
            value = values.get(element.code)
            rule = element_rules[element.code]
            if not attached and value in (None, "") and element.type != ElementType.DOCUMENT:
                continue
            asks = rule.asks_matriks or rule.percentage or rule.years >= 2 or provenance.get(element.code)
            if not attached and not asks:
                continue
            key = f"{indicator.code}/{element.code}"
            typed: Any = value
            if element.type == ElementType.YES_NO and value not in (None, ""):
                typed = bool(value)
            items.append(
                Item(
                    key=key,
                    indicator_code=indicator.code,
                    code=element.code,
                    label=element.label,
                    rule=rule,
                    value=typed,
                    values=values,
                    provenance=provenance.get(element.code),
                    documents=attached,
                )
            )
            points[key] = ItemPoints(
                indicator.pk, element.code, _cents(earned.get((indicator.code, element.code), Decimal(0)))
            )
            by_key[key] = indicator
        if whole:
            # Documents of the indicator as a whole that no element's rule claims: checked, no points attributed.
            key = f"{indicator.code}/"
            wording = f"{indicator.name} {indicator.description}"
            rule = rule_for(framework.slug, indicator.code, "", wording)
            items.append(Item(key, indicator.code, "", indicator.name, rule, None, values, None, whole))
            points[key] = ItemPoints(indicator.pk, "", Decimal(0))
            by_key[key] = indicator
    region = assessment.region
    names = frozenset(
        name.lower() for name in Region.objects.filter(level=RegionLevel.KABKOTA).values_list("name", flat=True)
    )
    registers = {key: value.value for key, value in computed_values(region, assessment.cycle.year).items()}
    ctx = Context(year=assessment.cycle.year, region_name=region.name.lower(), region_names=names, registers=registers)
    return items, points, by_key, ctx


def _assign_whole(
    whole: list[Document], rules: Mapping[str, Rule], docs: dict[tuple[int, str], list[Document]], indicator_id: int
) -> list[Document]:
    """Gives each document linked to the indicator as a whole to the element whose rule asks for its kind (a
    decree to the element that asks for an SK, a MATRIKS to the one that asks for a MATRIKS); returns the rest."""
    left = []
    for doc in whole:
        facts = doc.facts
        target = next(
            (
                code
                for code, rule in rules.items()
                if facts is not None
                and ((rule.document_kind == DECREE and facts.is_decree) or (rule.asks_matriks and facts.is_matriks))
            ),
            None,
        )
        if target is None:
            left.append(doc)
        else:
            docs.setdefault((indicator_id, target), []).append(doc)
    return left


def _document(evidence: Evidence, cache: dict[int, Facts]) -> Document:
    stored = evidence.current_file
    if stored is None:
        return Document(evidence.pk, evidence.title)
    if stored.pk not in cache:
        try:
            cache[stored.pk] = file_facts(stored, evidence.title)
        except OSError:
            log.warning("readiness: stored file %s could not be opened", stored.pk)
            cache[stored.pk] = Facts(status="unreadable")
    facts = Facts.from_dict(cache[stored.pk].as_dict())
    return Document(evidence.pk, evidence.title, stored.sha256, _title_facts(facts, evidence.title))


@dataclass(frozen=True)
class RunResult:
    items: int
    flags: int
    added: int
    removed: int


def _flag_points(finding: Finding, points: Mapping[str, ItemPoints]) -> Decimal:
    item = points.get(finding.item_key)
    if item is None:
        return Decimal(0)
    return _cents(item.points * CHECKS[finding.check].at_risk)


@transaction.atomic
def run_readiness(assessment_id: int) -> RunResult:
    """Runs every enabled check over one assessment and stores its flags (a job can call this)."""
    assessment = Assessment.objects.select_related("cycle__framework", "region").get(pk=assessment_id)
    items, points, by_key, ctx = assessment_items(assessment)
    findings = run_checks(items, ctx, enabled_checks())
    existing = {
        (f.indicator_id, f.item_code, f.evidence_id, f.check_code): f
        for f in Flag.objects.select_for_update().filter(assessment=assessment)
    }
    seen: set[tuple[int, str, int | None, str]] = set()
    added = 0
    for finding in findings:
        indicator = by_key[finding.item_key]
        code = points[finding.item_key].code
        slot = (indicator.pk, code, finding.evidence_id, finding.check)
        if slot in seen:
            continue
        seen.add(slot)
        at_risk = _flag_points(finding, points)
        params = {key: value if isinstance(value, int | str) else str(value) for key, value in finding.params.items()}
        flag = existing.get(slot)
        if flag is None:
            Flag.objects.create(
                assessment=assessment,
                indicator=indicator,
                item_code=code,
                evidence_id=finding.evidence_id,
                check_code=finding.check,
                params=params,
                points_at_risk=at_risk,
            )
            added += 1
        elif flag.params != params or flag.points_at_risk != at_risk:
            flag.params, flag.points_at_risk = params, at_risk
            flag.save(update_fields=["params", "points_at_risk"])
    gone = [flag.pk for slot, flag in existing.items() if slot not in seen]
    Flag.objects.filter(pk__in=gone).delete()
    return RunResult(len(items), len(seen), added, len(gone))


def run_readiness_after_change(assessment_id: int) -> None:
    """The hook handler: runs the checks of an editable assessment; a failure is logged, never raised."""
    try:
        run_readiness(assessment_id)
    except Exception:
        log.exception("readiness: checks of assessment %s failed", assessment_id)


def run_readiness_for_evidence(evidence_id: int) -> None:
    """The file of an evidence item was replaced: rerun every assessment it supports."""
    assessment_ids = set(
        AnswerEvidence.objects.filter(evidence_id=evidence_id).values_list("assessment_id", flat=True).distinct()
    )
    for assessment_id in sorted(assessment_ids):
        run_readiness_after_change(assessment_id)


def run_readiness_all(assessment_ids: Iterable[int]) -> list[RunResult]:
    """Runs several assessments (a whole cycle, as a background job)."""
    return [run_readiness(pk) for pk in assessment_ids]


@transaction.atomic
def flag_mark_wrong(*, user: User, flag: Flag, note: str = "") -> Flag:
    """A verifier says the flag is wrong: it no longer counts against the likely score, and the mark is counted."""
    assessment = flag.assessment
    if not permissions.can_mark_wrong(user, assessment):
        raise PermissionDenied(_("Only a verifier of this assessment can mark a flag as wrong."))
    if flag.is_marked_wrong:
        raise ValidationError(_("This flag is already marked as wrong."))
    flag.marked_wrong_by, flag.marked_wrong_at = user, timezone.now()
    flag.save(update_fields=["marked_wrong_by", "marked_wrong_at"])
    WrongMark.objects.create(check_code=flag.check_code, flag=flag, marked_by=user, note=note.strip()[:300])
    audit_record(
        actor=user,
        verb="readiness.flag_marked_wrong",
        target=flag,
        region_code=assessment.region_id,
        summary=f"{flag.indicator.code}/{flag.item_code}: {CHECKS[flag.check_code].title}",
        after={"check": flag.check_code, "note": note.strip()[:300]},
    )
    return flag


@transaction.atomic
def check_set_enabled(*, user: User, check_code: str, enabled: bool) -> CheckSetting:
    """A national admin turns a check off (its flags stop counting at once and are removed at the next run)."""
    if not user_is_national_admin(user):
        raise PermissionDenied(_("Only a national admin can turn a check on or off."))
    if check_code not in CHECKS:
        raise ValidationError(_("There is no such check."))
    setting, _created = CheckSetting.objects.get_or_create(check_code=check_code)
    before = {"enabled": setting.enabled}
    setting.enabled, setting.changed_by = enabled, user
    setting.save()
    audit_record(
        actor=user,
        verb="readiness.check_enabled" if enabled else "readiness.check_disabled",
        target=setting,
        summary=str(CHECKS[check_code].title),
        before=before,
        after={"enabled": enabled},
    )
    return setting
