"""Business actions of the evaluation cycle: open a cycle, extend a deadline, assign, answer, submit.

Each service checks permission, runs in one transaction and writes one audit event (drafts excepted: they are
private scratch copies of a form and never change the record).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from layak.accounts.models import Agency, User
from layak.accounts.selectors import user_can_see_region, user_is_national_admin
from layak.audit.services import audit_record
from layak.common.generations import bump_on_commit
from layak.evidence import services as evidence_services
from layak.evidence.models import Evidence
from layak.frameworks.models import DataElement, FrameworkVersion, Indicator
from layak.frameworks.selectors import FRAMEWORKS_GENERATION
from layak.regions.choices import RegionLevel
from layak.regions.models import Region

from . import hooks, permissions
from .choices import EDITABLE_STATUSES, AssessmentStatus, Stage
from .models import Answer, AnswerDraft, AnswerEvidence, Assessment, Cycle, CycleExtension, IndicatorAssignment
from .prefill import ComputedValue, computed_values
from .question_missing import instrument_missing
from .selectors import MissingItem, assessment_missing, stage_closes_at, stage_is_open
from .stamps import assessments_changed, cycles_changed
from .validation import TEXT_MAX_LENGTH, Invalid, clean_value, values_clean

NARRATIVE_MAX_LENGTH = 10_000


class ConflictError(Exception):
    """Someone saved the answer after this user opened it: carries the saved and the submitted version."""

    def __init__(self, *, current: dict[str, Any], submitted: dict[str, Any]) -> None:
        self.current = current
        self.submitted = submitted
        self.message = _(
            "Someone else saved this indicator while you were editing it. Your version was not saved: compare "
            "both versions below, then save the one to keep (you may combine them)."
        )
        super().__init__(self.message)


class SubmissionIncomplete(ValidationError):
    """The assessment cannot be submitted yet; `missing` lists every element still needing data or evidence."""

    def __init__(self, missing: list[MissingItem]) -> None:
        self.missing = missing
        super().__init__(
            ngettext(
                "The assessment cannot be submitted yet: %(count)s item is missing. Complete it and submit again.",
                "The assessment cannot be submitted yet: %(count)s items are missing. Complete them and submit again.",
                len(missing),
            )
            % {"count": len(missing)}
        )


# --- Cycles --------------------------------------------------------------------------------------------------


def _check_windows(windows: Mapping[str, tuple[datetime, datetime]]) -> None:
    for stage in Stage:
        if stage.value not in windows:
            raise ValidationError(
                _("Give the opening and closing time of every stage (missing: %(stage)s).") % {"stage": stage.label}
            )
        start, end = windows[stage.value]
        if end <= start:
            raise ValidationError(_("%(stage)s must close after it opens.") % {"stage": stage.label})


@transaction.atomic
def cycle_open(
    *,
    user: User,
    year: int,
    name: str,
    framework: FrameworkVersion,
    windows: Mapping[str, tuple[datetime, datetime]],
    award_date: date | None = None,
) -> Cycle:
    """Opens a yearly evaluation: freezes the framework version and creates one draft assessment per kab/kota.

    Only a national admin may do this. The assessments are inserted in bulk (514 kab/kota in a few queries).
    """
    if not user_is_national_admin(user):
        raise PermissionDenied(_("Only a national admin can open an evaluation cycle."))
    _check_windows(windows)
    if Cycle.objects.filter(year=year, name=name).exists():
        raise ValidationError(
            _("A cycle named “%(name)s” already exists for %(year)s; choose another name.")
            % {"name": name, "year": year}
        )
    if not framework.indicators.exists():
        raise ValidationError(_("This framework version has no indicators; load or choose another version."))
    if framework.frozen_at is None:
        framework.frozen_at = timezone.now()
        FrameworkVersion.objects.filter(pk=framework.pk).update(frozen_at=framework.frozen_at)
        bump_on_commit(FRAMEWORKS_GENERATION)  # a queryset update sends no model signal
    stage_fields = {
        f"{stage}_{edge}": windows[stage][i] for stage in Stage.values for i, edge in enumerate(("start", "end"))
    }
    cycle = Cycle.objects.create(
        year=year, name=name, framework=framework, award_date=award_date, opened_by=user, **stage_fields
    )
    codes = Region.objects.filter(level=RegionLevel.KABKOTA).values_list("code", flat=True)
    created = Assessment.objects.bulk_create(
        [Assessment(cycle=cycle, region_id=code) for code in codes], batch_size=1000
    )
    cycles_changed([cycle.pk])  # a bulk insert sends no model signal
    audit_record(
        actor=user,
        verb="cycle.opened",
        target=cycle,
        summary=f"{cycle.name}: {framework.slug}, {len(created)} assessments",
        after={"year": year, "framework": framework.slug, "assessments": len(created)},
    )
    return cycle


@transaction.atomic
def cycle_extension_grant(
    *, user: User, cycle: Cycle, region: Region, stage: str, until: datetime, reason: str
) -> CycleExtension:
    """Gives one kab/kota more time for one stage of a cycle (for example 2x24 hours), with the reason."""
    if not user_is_national_admin(user):
        raise PermissionDenied(_("Only a national admin can extend a deadline."))
    if stage not in Stage.values:
        raise ValidationError(_("Choose one of the stages."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for the extension; it is kept in the audit log."))
    if not Assessment.objects.filter(cycle=cycle, region=region).exists():
        raise ValidationError(
            _("%(region)s has no assessment in this cycle; choose a regency/city.") % {"region": region.name}
        )
    closes = stage_closes_at(cycle, stage, region.code)
    if until <= closes:
        raise ValidationError(
            _("The extension must end after the current deadline (%(deadline)s).")
            % {"deadline": timezone.localtime(closes).strftime("%Y-%m-%d %H:%M")}
        )
    extension = CycleExtension.objects.create(
        cycle=cycle, region=region, stage=stage, extended_until=until, reason=reason.strip(), granted_by=user
    )
    audit_record(
        actor=user,
        verb="cycle.extension_granted",
        target=extension,
        region_code=region.code,
        summary=f"{region.name} {stage} until {until:%Y-%m-%d %H:%M}: {reason.strip()}",
        before={"closes_at": closes.isoformat()},
        after={"closes_at": until.isoformat(), "reason": reason.strip()},
    )
    return extension


# --- Assignment ----------------------------------------------------------------------------------------------


def _indicator_of(assessment: Assessment, indicator: Indicator) -> None:
    if indicator.version_id != assessment.cycle.framework_id:
        raise ValidationError(_("This indicator does not belong to the cycle's framework."))


@transaction.atomic
def indicator_assign(
    *, user: User, assessment: Assessment, indicator: Indicator, agency: Agency, contributors: Iterable[User] = ()
) -> IndicatorAssignment:
    """The region coordinator gives an indicator to an OPD of the kab/kota (and optionally to named people)."""
    if not permissions.is_region_coordinator(user, assessment):
        raise PermissionDenied(_("Only the region coordinator can assign indicators."))
    if not assessment.is_editable:
        raise ValidationError(_("This assessment has been submitted; assignments can no longer change."))
    _indicator_of(assessment, indicator)
    if agency.region_id != assessment.region_id:
        raise ValidationError(_("Choose an agency (OPD) of %(region)s.") % {"region": assessment.region.name})
    previous = IndicatorAssignment.objects.filter(assessment=assessment, indicator=indicator).first()
    if not agency.is_active and (previous is None or previous.agency_id != agency.pk):
        raise ValidationError(
            _("%(name)s is deactivated; reactivate it on the OPD page or choose another OPD.") % {"name": agency.name}
        )
    people = list(contributors)
    if any(not user_can_see_region(person, assessment.region_id) for person in people):
        raise ValidationError(
            _("Every contributor must have a role in %(region)s.") % {"region": assessment.region.name}
        )
    assignment, _created = IndicatorAssignment.objects.update_or_create(
        assessment=assessment, indicator=indicator, defaults={"agency": agency, "assigned_by": user}
    )
    assignment.contributors.set(people)
    audit_record(
        actor=user,
        verb="indicator.assigned",
        target=assignment,
        region_code=assessment.region_id,
        summary=f"{indicator.code} → {agency}",
        before={"agency": previous.agency_id} if previous else None,
        after={"agency": agency.pk, "contributors": [p.pk for p in people]},
    )
    return assignment


# --- Answers -------------------------------------------------------------------------------------------------


def _check_can_edit(
    user: User, assessment: Assessment, indicator: Indicator, *, evidence_in_revision: bool = False
) -> None:
    """Permission, then state: editable status and an open self-assessment window for this region.

    With `evidence_in_revision`, evidence of an indicator a reviewer sent back may change until the revision
    deadline (its values change through the reviews app's revision form).
    """
    _indicator_of(assessment, indicator)
    assignment = IndicatorAssignment.objects.filter(assessment=assessment, indicator=indicator).first()
    if not permissions.can_edit_indicator(user, assessment, assignment):
        raise PermissionDenied(_("You cannot edit this indicator: it is not assigned to your agency (OPD)."))
    in_review = assessment.status not in EDITABLE_STATUSES
    if evidence_in_revision and in_review and hooks.open_for_revision(assessment, indicator):
        return
    check_open_for_edits(assessment)


def check_open_for_edits(assessment: Assessment) -> None:
    """Refuses changes to a submitted assessment or outside the region's self-assessment window."""
    if assessment.status not in EDITABLE_STATUSES:
        raise ValidationError(_("This assessment has been submitted and can no longer be edited."))
    if not stage_is_open(assessment.cycle, Stage.SELF_ASSESSMENT, assessment.region_id):
        raise ValidationError(
            _("The self-assessment window is closed for %(region)s. Ask the national admin for an extension.")
            % {"region": assessment.region.name}
        )


def answer_snapshot(answer: Answer | None) -> dict[str, Any]:
    """A saved answer as plain data (for conflicts, the API and the audit log)."""
    if answer is None:
        return {
            "values": {},
            "narrative_done": "",
            "narrative_todo": "",
            "provenance": {},
            "revision": 0,
            "updated_by": None,
            "updated_at": None,
        }
    return {
        "values": answer.values,
        "narrative_done": answer.narrative_done,
        "narrative_todo": answer.narrative_todo,
        "provenance": answer.provenance,
        "revision": answer.revision,
        "updated_by": str(answer.updated_by) if answer.updated_by_id else None,
        "updated_at": answer.updated_at,
    }


def _narratives(narrative_done: str, narrative_todo: str) -> dict[str, str]:
    errors = {}
    for key, text in (("narrative_done", narrative_done), ("narrative_todo", narrative_todo)):
        if len(text) > NARRATIVE_MAX_LENGTH:
            errors[key] = _("Keep this under %(limit)s characters.") % {"limit": NARRATIVE_MAX_LENGTH}
    return errors


@dataclass(frozen=True)
class Submitted:
    """What a user sends for one indicator: cleaned values, narratives and the provenance of register values."""

    values: dict[str, Any]
    narrative_done: str
    narrative_todo: str
    provenance: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {"values": self.values, "narrative_done": self.narrative_done, "narrative_todo": self.narrative_todo}


def answer_provenance(
    elements: Iterable[DataElement], cleaned: Mapping[str, Any], computed: Mapping[str, ComputedValue]
) -> dict[str, Any]:
    """{element code: where the value came from} for each saved value equal to its register's computed value."""
    provenance = {}
    for element in elements:
        key = getattr(element, "computed_key", "")
        offered = computed.get(key) if key else None
        if offered is None or element.code not in cleaned:
            continue
        try:
            same = clean_value(element, offered.value) == cleaned[element.code]
        except Invalid:
            continue
        if same:
            as_of = offered.as_of.isoformat() if offered.as_of else None
            provenance[element.code] = {"key": key, "source": str(offered.source), "as_of": as_of, "url": offered.url}
    return provenance


def computed_for(assessment: Assessment, elements: list[DataElement]) -> dict[str, ComputedValue]:
    """The registers' values for the region and year, asked only when an element names a computed key."""
    if not any(getattr(e, "computed_key", "") for e in elements):
        return {}
    return computed_values(assessment.region, assessment.cycle.year)


def answer_write(user: User, assessment: Assessment, indicator: Indicator, new: Submitted, expected: int) -> Answer:
    """Writes only if the answer is still at `expected` (a conditional UPDATE, so no lock is needed)."""
    fields = {**new.as_dict(), "provenance": new.provenance, "updated_by": user}
    if expected == 0:
        try:
            with transaction.atomic():
                return Answer.objects.create(assessment=assessment, indicator=indicator, revision=1, **fields)
        except IntegrityError:
            pass  # someone created it first: reported as a conflict below
    else:
        changed = Answer.objects.filter(assessment=assessment, indicator=indicator, revision=expected).update(
            revision=F("revision") + 1, updated_at=timezone.now(), **fields
        )
        if changed:
            assessments_changed([assessment.pk])  # a queryset update sends no model signal
            return Answer.objects.get(assessment=assessment, indicator=indicator)
    current = Answer.objects.filter(assessment=assessment, indicator=indicator).select_related("updated_by").first()
    raise ConflictError(current=answer_snapshot(current), submitted=new.as_dict())


def answer_save(
    *,
    user: User,
    assessment: Assessment,
    indicator: Indicator,
    values: Mapping[str, Any],
    narrative_done: str = "",
    narrative_todo: str = "",
    expected_revision: int,
) -> Answer:
    """Saves the answer to one indicator after checking every value against its data element.

    Incomplete answers may be saved (required data is checked at submission). `expected_revision` is the
    revision the user started from (0 for a new answer); if someone saved in between, nothing is written, the
    user's version is kept as their draft and a ConflictError carries both versions. A value equal to what a
    register computes for its element is saved with that provenance.
    """
    _check_can_edit(user, assessment, indicator)
    elements = list(indicator.elements.all())
    cleaned, errors = values_clean(elements, values)
    errors.update(_narratives(narrative_done, narrative_todo))
    if errors:
        raise ValidationError(errors)
    provenance = answer_provenance(elements, cleaned, computed_for(assessment, elements))
    new = Submitted(cleaned, narrative_done.strip(), narrative_todo.strip(), provenance)
    try:
        with transaction.atomic():
            locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
            if locked.status not in EDITABLE_STATUSES:
                raise ValidationError(_("This assessment has been submitted and can no longer be edited."))
            before = Answer.objects.filter(assessment=assessment, indicator=indicator).first()
            answer = answer_write(user, assessment, indicator, new, expected_revision)
            AnswerDraft.objects.filter(assessment=assessment, indicator=indicator, user=user).delete()
            audit_record(
                actor=user,
                verb="answer.saved",
                target=answer,
                region_code=assessment.region_id,
                summary=f"{indicator.code} r{answer.revision}",
                before=_audit_view(before),
                after=_audit_view(answer),
            )
            hooks.answers_changed(assessment.pk)
            return answer
    except ConflictError:
        _draft_store(user, assessment, indicator, dict(values), narrative_done, narrative_todo, expected_revision)
        raise


def _audit_view(answer: Answer | None) -> dict[str, Any] | None:
    if answer is None:
        return None
    return {
        "values": answer.values,
        "narrative_done": answer.narrative_done,
        "narrative_todo": answer.narrative_todo,
        "provenance": answer.provenance,
        "revision": answer.revision,
    }


def _draft_store(
    user: User,
    assessment: Assessment,
    indicator: Indicator,
    values: Any,
    narrative_done: Any,
    narrative_todo: Any,
    base_revision: Any,
) -> AnswerDraft:
    known = set(indicator.elements.values_list("code", flat=True))
    kept = {code: str(value)[:TEXT_MAX_LENGTH] for code, value in values.items() if code in known and value is not None}
    draft, _created = AnswerDraft.objects.update_or_create(
        assessment=assessment,
        indicator=indicator,
        user=user,
        defaults={
            "values": kept,
            "narrative_done": narrative_done[:NARRATIVE_MAX_LENGTH],
            "narrative_todo": narrative_todo[:NARRATIVE_MAX_LENGTH],
            "base_revision": max(base_revision, 0),
        },
    )
    return draft


def answer_draft_autosave(
    *,
    user: User,
    assessment: Assessment,
    indicator: Indicator,
    values: Mapping[str, Any],
    narrative_done: str = "",
    narrative_todo: str = "",
    base_revision: int = 0,
) -> AnswerDraft:
    """Keeps what the user is typing (unvalidated) so a closed tab or dropped connection loses nothing.

    Scoped like `answer_save` but not audited: a draft is a private copy that changes no record.
    """
    _indicator_of(assessment, indicator)
    assignment = IndicatorAssignment.objects.filter(assessment=assessment, indicator=indicator).first()
    if not permissions.can_edit_indicator(user, assessment, assignment):
        raise PermissionDenied(_("You cannot edit this indicator: it is not assigned to your agency (OPD)."))
    if not assessment.is_editable:
        raise ValidationError(_("This assessment has been submitted and can no longer be edited."))
    return _draft_store(user, assessment, indicator, values, narrative_done, narrative_todo, base_revision)


def answer_draft_discard(*, user: User, assessment: Assessment, indicator: Indicator) -> None:
    """Throws away the user's own draft of an indicator (they chose the saved version)."""
    AnswerDraft.objects.filter(assessment=assessment, indicator=indicator, user=user).delete()


# --- Evidence of an answer ----------------------------------------------------------------------------------


def _check_element(indicator: Indicator, element_code: str) -> None:
    if element_code and not indicator.elements.filter(code=element_code).exists():
        raise ValidationError(
            _("Indicator %(indicator)s has no data element “%(code)s”; choose one from the list.")
            % {"indicator": indicator.code, "code": element_code}
        )


def _link_summary(indicator: Indicator, element_code: str, evidence: Evidence) -> str:
    where = f"{indicator.code}/{element_code}" if element_code else indicator.code
    return f"{where} ← {evidence.title}"


@transaction.atomic
def answer_evidence_link(
    *, user: User, assessment: Assessment, indicator: Indicator, evidence: Evidence, element_code: str = ""
) -> AnswerEvidence:
    """Links an item of the region's evidence to an indicator (or to one of its data elements, by code).

    Same rules as saving the answer: the coordinator or the assigned OPD, while the window is open and the
    assessment not submitted. One item may support several indicators, but each element only once.
    """
    _check_can_edit(user, assessment, indicator, evidence_in_revision=True)
    _check_element(indicator, element_code)
    if evidence.region_id != assessment.region_id:
        raise ValidationError(
            _("Choose evidence of %(region)s; this item belongs to another region.")
            % {"region": assessment.region.name}
        )
    if AnswerEvidence.objects.filter(
        assessment=assessment, indicator=indicator, evidence=evidence, element_code=element_code
    ).exists():
        raise ValidationError(
            _("“%(title)s” already supports this item of indicator %(indicator)s.")
            % {"title": evidence.title, "indicator": indicator.code}
        )
    link = AnswerEvidence.objects.create(
        assessment=assessment, indicator=indicator, evidence=evidence, element_code=element_code, linked_by=user
    )
    audit_record(
        actor=user,
        verb="answer.evidence_linked",
        target=link,
        region_code=assessment.region_id,
        summary=_link_summary(indicator, element_code, evidence),
        after={"evidence": evidence.pk, "element": element_code},
    )
    hooks.answers_changed(assessment.pk)
    return link


@transaction.atomic
def answer_evidence_unlink(*, user: User, link: AnswerEvidence) -> None:
    """Removes evidence from an indicator; the item itself stays in the region's library."""
    _check_can_edit(user, link.assessment, link.indicator, evidence_in_revision=True)
    before = {"evidence": link.evidence_id, "element": link.element_code}
    summary = _link_summary(link.indicator, link.element_code, link.evidence)
    audit_record(
        actor=user,
        verb="answer.evidence_unlinked",
        target=link,
        region_code=link.assessment.region_id,
        summary=summary,
        before=before,
    )
    hooks.answers_changed(link.assessment_id)
    link.delete()


def answer_evidence_upload(
    *, user: User, assessment: Assessment, indicator: Indicator, upload: Any, title: str = "", element_code: str = ""
) -> AnswerEvidence:
    """Adds an uploaded file to the region's library (streamed, sniffed, de-duplicated) and links it.

    The edit rules are checked before the file is stored, so a refused user leaves nothing behind.
    """
    _check_can_edit(user, assessment, indicator, evidence_in_revision=True)
    _check_element(indicator, element_code)
    evidence = evidence_services.evidence_create_from_upload(
        user=user, region=assessment.region, upload=upload, title=title
    )
    return answer_evidence_link(
        user=user, assessment=assessment, indicator=indicator, evidence=evidence, element_code=element_code
    )


def answer_evidence_add_url(
    *, user: User, assessment: Assessment, indicator: Indicator, url: str, title: str, element_code: str = ""
) -> AnswerEvidence:
    """Records a link to an external document as evidence of the region and links it to the indicator."""
    _check_can_edit(user, assessment, indicator, evidence_in_revision=True)
    _check_element(indicator, element_code)
    with transaction.atomic():
        evidence = evidence_services.evidence_create_link(user=user, region=assessment.region, url=url, title=title)
        return answer_evidence_link(
            user=user, assessment=assessment, indicator=indicator, evidence=evidence, element_code=element_code
        )


def answer_evidence_carry_forward(
    *, user: User, assessment: Assessment, indicator: Indicator, previous: AnswerEvidence
) -> AnswerEvidence:
    """Reuses evidence that supported the same indicator in an earlier cycle of the region.

    The item is copied (`evidence_carry_forward`), so replacing its file now leaves the earlier cycle as it was
    assessed; the copy supports the same element when this cycle's indicator still has it.
    """
    _check_can_edit(user, assessment, indicator, evidence_in_revision=True)
    if (
        previous.assessment.region_id != assessment.region_id
        or previous.indicator.code != indicator.code
        or previous.assessment.cycle.self_assessment_start >= assessment.cycle.self_assessment_start
    ):
        raise ValidationError(_("Only evidence of this indicator in an earlier cycle of the region can be reused."))
    element_code = previous.element_code if indicator.elements.filter(code=previous.element_code).exists() else ""
    with transaction.atomic():
        copy = evidence_services.evidence_carry_forward(user=user, evidence=previous.evidence)
        return answer_evidence_link(
            user=user, assessment=assessment, indicator=indicator, evidence=copy, element_code=element_code
        )


# --- Submission ----------------------------------------------------------------------------------------------


@transaction.atomic
def assessment_submit(*, user: User, assessment: Assessment) -> Assessment:
    """The region coordinator submits the self-assessment; refused with the list of what is still missing.

    After submission nothing in the assessment can be edited until a reviewer returns it.
    """
    if not permissions.is_region_coordinator(user, assessment):
        raise PermissionDenied(_("Only the region coordinator can submit the assessment."))
    locked = Assessment.objects.select_for_update().select_related("cycle__framework", "region").get(pk=assessment.pk)
    if locked.status not in EDITABLE_STATUSES:
        raise ValidationError(_("This assessment has already been submitted."))
    if not stage_is_open(locked.cycle, Stage.SELF_ASSESSMENT, locked.region_id):
        raise ValidationError(
            _("The self-assessment window is closed for %(region)s. Ask the national admin for an extension.")
            % {"region": locked.region.name}
        )
    if locked.cycle.framework.is_question_level:
        missing: list[Any] = list(instrument_missing(locked))
    else:
        missing = list(assessment_missing(locked))
    if missing:
        raise SubmissionIncomplete(missing)
    before = locked.status
    locked.status, locked.submitted_at, locked.submitted_by = AssessmentStatus.SUBMITTED, timezone.now(), user
    locked.save(update_fields=["status", "submitted_at", "submitted_by"])
    audit_record(
        actor=user,
        verb="assessment.submitted",
        target=locked,
        region_code=locked.region_id,
        summary=f"{locked.region.name} {locked.cycle.name}",
        before={"status": before},
        after={"status": locked.status},
    )
    assessment.status, assessment.submitted_at, assessment.submitted_by = locked.status, locked.submitted_at, user
    hooks.submitted(locked, user)  # the reviews app starts verification with the self-score snapshot
    return locked
