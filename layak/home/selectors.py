"""The home page of a signed-in person: what to do next, by role, in a fixed number of queries.

Each role gets a section of tasks, most urgent first, each with the page where it is done:

- a regency/city coordinator (DP3A): assign indicators, what each OPD still has to answer, the submission
  deadline, a revision to fix (which indicators, by when), or where verification stands, or the final result;
- an OPD contributor: the indicators of their OPD still unanswered, the ones sent back for revision;
- a province verifier or coordinator: assessments waiting for province verification, revisions answered;
- an independent evaluator: the reviews assigned to them at the central or field stage;
- the national admin: assessments per stage, results to finalise and to publish.

All queries are per role kind over all of the person's regions at once, so the count does not grow with the
number of regions or assessments.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from layak.accounts.choices import Role
from layak.accounts.selectors import Grant, Viewer, user_grants, user_is_national_admin
from layak.common.numbers import format_datetime, format_score
from layak.evaluations.choices import AssessmentStatus, Stage
from layak.evaluations.models import (
    Answer,
    Assessment,
    Cycle,
    CycleExtension,
    IndicatorAssignment,
    QuestionAnswer,
    QuestionAssignment,
)
from layak.frameworks.models import Indicator, Question
from layak.regions.models import Region
from layak.reviews.choices import ReviewState
from layak.reviews.models import (
    CompletionWindow,
    FinalResult,
    ObjectionPeriod,
    ReviewerAssignment,
    ReviewProcess,
    RevisionRequest,
)
from layak.reviews.workflow import REVISION_STATES, SCORING_STATES
from layak.villages.selectors import checklists_of, village_cycle_current

# (assessment id, agency id, agency name, agency short name, indicator code, answered?)
AssignedRow = tuple[int, int, str, str, str, bool]


@dataclass(frozen=True)
class Task:
    """One thing to do (or to know), in words, with the page where it is done."""

    text: str
    url: str = ""
    detail: str = ""
    urgent: bool = False


@dataclass
class Section:
    """What one of the person's roles asks of them now."""

    title: str
    tasks: list[Task] = field(default_factory=list)


@dataclass
class Home:
    cycle: Cycle | None
    sections: list[Section]


def _latest_cycle() -> Cycle | None:
    return Cycle.objects.select_related("framework").order_by("-year", "-pk").first()


def home_for_user(user: Viewer) -> Home:
    """The person's sections of tasks for the latest cycle."""
    cycle = _latest_cycle()
    grants = user_grants(user)
    sections: list[Section] = []
    if cycle is None:
        return Home(None, sections)
    by_role: dict[str, list[Grant]] = defaultdict(list)
    for grant in grants:
        by_role[grant.role].append(grant)
    if user_is_national_admin(user):
        sections.append(_national(cycle))
    region_grants = by_role[Role.REGION_COORDINATOR] + by_role[Role.OPD_CONTRIBUTOR]
    if region_grants:
        sections += _regions(cycle, by_role[Role.REGION_COORDINATOR], by_role[Role.OPD_CONTRIBUTOR])
    provinces = [g.region_code for g in by_role[Role.PROVINCE_VERIFIER] + by_role[Role.PROVINCE_COORDINATOR]]
    if provinces:
        coordinated = sorted({g.region_code for g in by_role[Role.PROVINCE_COORDINATOR] if g.region_code})
        sections.append(_province(cycle, user, sorted({p for p in provinces if p}), coordinated))
    if by_role[Role.INDEPENDENT_EVALUATOR]:
        sections.append(_evaluator(cycle, user))
    village_grants = by_role[Role.KECAMATAN_OPERATOR] + by_role[Role.DESA_OPERATOR]
    if village_grants:
        sections.append(_villages([g.region_code for g in village_grants if g.region_code]))
    return Home(cycle, sections)


def _villages(codes: list[str]) -> Section:
    """A kecamatan or desa operator: the checklist of each of their areas in the current Kelana/Dekela cycle."""
    section = Section(_("Your district or village checklist (Kelana/Dekela)"))
    village_cycle = village_cycle_current()
    states = checklists_of(cycle=village_cycle, codes=codes) if village_cycle else {}
    for code, name in Region.objects.filter(code__in=codes).order_by("code").values_list("code", "name"):
        if village_cycle is None:
            section.tasks.append(Task(name, reverse("villages:area_detail", args=[code])))
            continue
        found = states.get(code)
        url = reverse("villages:checklist", args=[code, village_cycle.pk])
        if found is not None and found.is_reopened:
            reopened = _("The regency/city reopened the checklist of %(area)s: correct it and send it again")
            section.tasks.append(Task(reopened % {"area": name}, url, urgent=True))
        elif found is None or found.submitted_at is None:
            section.tasks.append(
                Task(_("Answer and send the checklist of %(area)s") % {"area": name}, url, urgent=True)
            )
        else:
            section.tasks.append(Task(_("The checklist of %(area)s is sent") % {"area": name}, url))
    return section


# --- Regions (DP3A and OPD) ----------------------------------------------------------------------------------


def _closes_at(cycle: Cycle, region_codes: list[str]) -> dict[str, datetime]:
    """When the self-assessment closes for each region (its latest extension counts)."""
    closes = dict.fromkeys(region_codes, cycle.self_assessment_end)
    extensions = CycleExtension.objects.filter(
        cycle=cycle, region_id__in=region_codes, stage=Stage.SELF_ASSESSMENT
    ).values_list("region_id", "extended_until")
    for code, until in extensions:
        closes[code] = max(closes[code], until)
    return closes


def _regions(cycle: Cycle, coordinator: list[Grant], contributor: list[Grant]) -> list[Section]:
    codes = sorted({g.region_code for g in coordinator + contributor if g.region_code})
    assessments = list(Assessment.objects.filter(cycle=cycle, region_id__in=codes).select_related("region"))
    ids = [a.pk for a in assessments]
    processes = dict(ReviewProcess.objects.filter(assessment_id__in=ids).values_list("assessment_id", "state"))
    by_question = cycle.framework.is_question_level
    assigned: dict[int, list[AssignedRow]] = defaultdict(list)
    if by_question:
        # The 2024 instrument is answered, assigned and counted question by question.
        answered = Counter(QuestionAnswer.objects.filter(assessment_id__in=ids).values_list("assessment_id", flat=True))
        total = Question.objects.filter(indicator__version_id=cycle.framework_id).count()
        question_rows = (
            QuestionAssignment.objects.filter(assessment_id__in=ids)
            .annotate(
                done=Exists(
                    QuestionAnswer.objects.filter(assessment=OuterRef("assessment"), question=OuterRef("question"))
                )
            )
            .order_by("question__indicator__order", "question__order")
            .values_list(
                "assessment_id",
                "agency_id",
                "agency__name",
                "agency__short_name",
                "question__indicator__code",
                "question__code",
                "done",
            )
        )
        for a_id, agency_id, name, short, indicator_code, code, done in question_rows:
            assigned[a_id].append((a_id, agency_id, name, short, f"{indicator_code}.{code}", done))
    else:
        answered = Counter(Answer.objects.filter(assessment_id__in=ids).values_list("assessment_id", flat=True))
        total = Indicator.objects.filter(version_id=cycle.framework_id).count()
        rows = (
            IndicatorAssignment.objects.filter(assessment_id__in=ids)
            .annotate(
                done=Exists(Answer.objects.filter(assessment=OuterRef("assessment"), indicator=OuterRef("indicator")))
            )
            .values_list("assessment_id", "agency_id", "agency__name", "agency__short_name", "indicator__code", "done")
        )
        for row in rows:
            assigned[row[0]].append(row)
    revisions = {
        r.assessment_id: r
        for r in RevisionRequest.objects.filter(assessment_id__in=ids, resubmitted_at__isnull=True)
        .prefetch_related("items__indicator")
        .order_by("requested_at")
    }
    finals = {f.assessment_id: f for f in FinalResult.objects.filter(assessment_id__in=ids)}
    stages = _stage_windows([i for i in ids if processes.get(i) in _WINDOW_STATES])
    closes = _closes_at(cycle, codes)
    coordinated = {g.region_code for g in coordinator}
    agencies = {g.region_code: g.agency_id for g in contributor}
    sections = []
    for a in sorted(assessments, key=lambda a: a.region_id):
        state = processes.get(a.pk)
        facts = _Facts(
            a, state, answered[a.pk], total, assigned[a.pk], revisions.get(a.pk), finals.get(a.pk), by_question
        )
        facts = replace(facts, stage_window=stages.get(a.pk))
        if a.region_id in coordinated:
            tasks = _coordinator_tasks(facts, closes[a.region_id])
            team = reverse("accounts:team", args=[a.region_id])
            tasks.append(Task(_("Open or close the OPD accounts of the region"), team))
            villages = reverse("villages:region_villages", args=[a.region_id])
            tasks.append(Task(_("Districts and villages: invite their operators, see their checklists"), villages))
            sections.append(Section(_("%(region)s: the self-assessment") % {"region": a.region.name}, tasks))
        elif a.region_id in agencies:
            sections.append(
                Section(
                    _("%(region)s: your OPD's indicators") % {"region": a.region.name},
                    _contributor_tasks(facts, agencies[a.region_id], closes[a.region_id]),
                )
            )
    return sections


@dataclass(frozen=True)
class _Facts:
    assessment: Assessment
    state: str | None
    answered: int
    total: int
    assigned: list[AssignedRow]
    revision: RevisionRequest | None
    final: FinalResult | None
    by_question: bool = False
    # The completion window open after the field visit, or the objection period of the provisional results.
    stage_window: CompletionWindow | ObjectionPeriod | None = None


_WINDOW_STATES = frozenset({ReviewState.FIELD_VERIFICATION, ReviewState.OBJECTION})


def _stage_windows(ids: list[int]) -> dict[int, CompletionWindow | ObjectionPeriod]:
    """The region's open completion windows and objection periods (none read when no assessment is there)."""
    if not ids:
        return {}
    now = timezone.now()
    found: dict[int, CompletionWindow | ObjectionPeriod] = {
        w.assessment_id: w
        for w in CompletionWindow.objects.filter(assessment_id__in=ids, closes_at__gte=now).prefetch_related(
            "items__question__indicator"
        )
    }
    for period in ObjectionPeriod.objects.filter(assessment_id__in=ids, closes_at__gte=now, done_at__isnull=True):
        found.setdefault(period.assessment_id, period)
    return found


def _stage_tasks(f: _Facts, owned: set[str] | None) -> list[Task]:
    """What the real stages ask of the region now: documents in the completion window, objections."""
    a, window = f.assessment, f.stage_window
    stages = reverse("reviews:assessment_stages", args=[a.pk])
    if f.state == ReviewState.FIELD_VERIFICATION and isinstance(window, CompletionWindow):
        items = [
            i
            for i in window.items.all()
            if owned is None or i.question.full_code in owned or i.question.indicator.code in owned
        ]
        if items:
            codes = ", ".join(i.question.full_code for i in items)
            return [
                Task(
                    ngettext(
                        "The field team asks for documents on question %(codes)s",
                        "The field team asks for documents on questions %(codes)s",
                        len(items),
                    )
                    % {"codes": codes},
                    stages,
                    _("Until %(when)s. %(note)s") % {"when": format_datetime(window.closes_at), "note": window.note},
                    urgent=True,
                )
            ]
    if f.state == ReviewState.OBJECTION and isinstance(window, ObjectionPeriod) and owned is None:
        return [
            Task(
                _("Provisional results announced: you may object to a question's grade"),
                stages,
                _("Until %(when)s, each objection with its reason and evidence.")
                % {"when": format_datetime(window.closes_at)},
                urgent=True,
            )
        ]
    return []


def _verification_tasks(f: _Facts, *, owned: set[str] | None = None) -> list[Task] | None:
    """Tasks once the assessment is submitted: a revision to fix, where verification stands, or the result."""
    a = f.assessment
    review = reverse("reviews:assessment_review", args=[a.pk])
    if f.state in REVISION_STATES and f.revision is not None:
        items = [i for i in f.revision.items.all() if owned is None or i.indicator.code in owned]
        codes = ", ".join(i.indicator.code for i in items)
        if not items:
            return [Task(_("A revision is open, but none of your OPD's indicators were sent back."), review)]
        return [
            Task(
                ngettext(
                    "Revision requested: fix indicator %(codes)s and resubmit",
                    "Revision requested: fix indicators %(codes)s and resubmit",
                    len(items),
                )
                % {"codes": codes},
                review,
                _("Deadline: %(when)s. The verifiers' notes: %(notes)s")
                % {
                    "when": format_datetime(f.revision.deadline),
                    "notes": "; ".join(f"{i.indicator.code}: {i.reason}" for i in items),
                },
                urgent=True,
            )
        ]
    stage_tasks = _stage_tasks(f, owned)
    if stage_tasks:
        return stage_tasks
    if f.state == ReviewState.FINALISED and f.final is not None and a.cycle.results_published_at:
        band = "KLA" if f.final.band_code == "kla" else (f.final.band_code.title() or _("no predicate"))
        return [
            Task(
                _("Final result published: %(band)s, %(score)s points")
                % {"band": band, "score": format_score(f.final.score)},
                reverse("dashboards:region", args=[a.region_id]),
            )
        ]
    if f.state is not None:
        return [
            Task(
                _("Submitted: now at the %(state)s. Nothing to do until the verifiers decide.")
                % {"state": str(ReviewState(f.state).label).lower()},
                review,
            )
        ]
    return None


def _coordinator_tasks(f: _Facts, closes: datetime) -> list[Task]:
    a = f.assessment
    done = _verification_tasks(f)
    if done is not None or a.status != AssessmentStatus.DRAFT:
        return done or []
    overview = reverse("evaluations:assessment_detail", args=[a.pk])
    tasks = []
    unassigned = f.total - len(f.assigned)
    if unassigned > 0:
        if f.by_question:
            text = ngettext(
                "Assign %(n)s question to the OPDs by data source",
                "Assign %(n)s questions to the OPDs by data source",
                unassigned,
            )
            assign_url = reverse("evaluations:instrument_assign", args=[a.pk])
        else:
            text = ngettext("Assign %(n)s indicator to an OPD", "Assign %(n)s indicators to the OPDs", unassigned)
            assign_url = reverse("evaluations:assessment_assign", args=[a.pk])
        tasks.append(Task(text % {"n": unassigned}, assign_url))
    waiting: dict[str, int] = Counter()
    for _a, _id, name, short, _code, is_done in f.assigned:
        if not is_done:
            waiting[short or name] += 1
    for name, n in sorted(waiting.items()):
        if f.by_question:
            text = ngettext("%(opd)s: %(n)s question to answer", "%(opd)s: %(n)s questions to answer", n)
        else:
            text = ngettext("%(opd)s: %(n)s indicator to answer", "%(opd)s: %(n)s indicators to answer", n)
        tasks.append(Task(text % {"opd": name, "n": n}, overview))
    late = closes < timezone.now()
    if f.by_question:
        progress = _("%(answered)s of %(total)s questions answered; submit by %(when)s")
    else:
        progress = _("%(answered)s of %(total)s indicators answered; submit by %(when)s")
    tasks.append(
        Task(
            progress % {"answered": f.answered, "total": f.total, "when": format_datetime(closes)},
            overview,
            _("The self-assessment window is closed; ask the ministry for an extension.") if late else "",
            urgent=late or (closes - timezone.now()).days < 7,
        )
    )
    return tasks


def _contributor_tasks(f: _Facts, agency_id: int | None, closes: datetime) -> list[Task]:
    a = f.assessment
    mine = [row for row in f.assigned if row[1] == agency_id]
    # Revisions are requested per indicator; a question's code starts with its indicator's ("19.2a").
    done = _verification_tasks(f, owned={row[4].partition(".")[0] for row in mine})
    if done is not None or a.status != AssessmentStatus.DRAFT:
        return done or []
    if not mine:
        return [Task(_("No indicator is assigned to your OPD yet; your coordinator assigns them."))]
    open_codes = [row[4] for row in mine if not row[5]]
    if not open_codes:
        return [
            Task(
                _("Every indicator of your OPD is answered. Your coordinator submits the self-assessment."),
                reverse("evaluations:assessment_detail", args=[a.pk]),
            )
        ]
    first = open_codes[0]
    if f.by_question:
        text = ngettext(
            "Answer %(n)s question (%(codes)s) by %(when)s",
            "Answer %(n)s questions (%(codes)s) by %(when)s",
            len(open_codes),
        )
        start = reverse("evaluations:instrument_indicator", args=[a.pk, first.partition(".")[0]])
    else:
        text = ngettext(
            "Answer %(n)s indicator (%(codes)s) by %(when)s",
            "Answer %(n)s indicators (%(codes)s) by %(when)s",
            len(open_codes),
        )
        start = reverse("evaluations:answer_edit", args=[a.pk, first])
    return [
        Task(
            text % {"n": len(open_codes), "codes": ", ".join(open_codes[:8]), "when": format_datetime(closes)},
            start,
            _("Start with %(code)s.") % {"code": first},
            urgent=(closes - timezone.now()).days < 7,
        )
    ]


# --- Reviewers -----------------------------------------------------------------------------------------------


def _province(cycle: Cycle, user: Viewer, provinces: list[str], coordinated: list[str]) -> Section:
    rows = list(
        ReviewProcess.objects.filter(assessment__cycle=cycle, assessment__region__parent_id__in=provinces)
        .select_related("assessment__region")
        .order_by("assessment__region_id")
    )
    waiting = [r for r in rows if r.state == ReviewState.PROVINCE_VERIFICATION]
    revising = [r for r in rows if r.state == ReviewState.PROVINCE_REVISION]
    tasks = [
        Task(
            _("Verify %(region)s") % {"region": r.assessment.region.name},
            reverse("reviews:assessment_review", args=[r.assessment_id]),
            _("Province verification closes %(when)s.") % {"when": format_datetime(cycle.province_verification_end)},
            urgent=True,
        )
        for r in waiting[:10]
    ]
    if len(waiting) > 10:
        tasks.append(
            Task(
                _("%(n)s more assessments wait for province verification") % {"n": len(waiting) - 10},
                reverse("reviews:review_queue"),
            )
        )
    if revising:
        tasks.append(
            Task(
                ngettext(
                    "%(n)s region is fixing what you sent back",
                    "%(n)s regions are fixing what you sent back",
                    len(revising),
                )
                % {"n": len(revising)},
                reverse("reviews:review_queue"),
            )
        )
    if not tasks:
        tasks.append(Task(_("No assessment waits for province verification now."), reverse("reviews:review_queue")))
    progress = reverse("reviews:cycle_progress", args=[cycle.pk])
    for code in provinces:
        tasks.append(Task(_("Progress of the province's regencies/cities"), f"{progress}?province={code}"))
    for code in coordinated:
        tasks.append(Task(_("Manage the province's verifier team"), reverse("accounts:team", args=[code])))
    return Section(_("Province verification"), tasks)


def _evaluator(cycle: Cycle, user: Viewer) -> Section:
    duties = (
        ReviewerAssignment.objects.filter(
            reviewer_id=user.pk, assessment__cycle=cycle, assessment__review__state__in=SCORING_STATES
        )
        .select_related("assessment__region", "assessment__review")
        .order_by("assessment__region_id")
    )
    tasks = [
        Task(
            _("Review %(region)s (%(state)s)")
            % {"region": d.assessment.region.name, "state": str(ReviewState(d.assessment.review.state).label).lower()},
            reverse("reviews:assessment_review", args=[d.assessment_id]),
        )
        for d in duties[:20]
    ]
    return Section(
        _("Your reviews"), tasks or [Task(_("No review is waiting for you."), reverse("reviews:review_queue"))]
    )


def _national(cycle: Cycle) -> Section:
    states = Counter(ReviewProcess.objects.filter(assessment__cycle=cycle).values_list("state", flat=True))
    drafts = Assessment.objects.filter(cycle=cycle, status=AssessmentStatus.DRAFT).count()
    cycle_page = reverse("reviews:cycle_reviews", args=[cycle.pk])
    progress = reverse("reviews:cycle_progress", args=[cycle.pk])
    tasks = (
        [Task(_("%(n)s regions have not submitted yet") % {"n": drafts}, f"{progress}?status=not_submitted")]
        if drafts
        else []
    )
    for state in ReviewState:
        if states[state.value]:
            tasks.append(
                Task(f"{state.label}: {states[state.value]}", cycle_page, urgent=state == ReviewState.FINALISATION)
            )
    if states[ReviewState.FINALISED] and cycle.results_published_at is None:
        tasks.append(
            Task(_("Finalised results are ready: publish them when the ministry announces"), cycle_page, urgent=True)
        )
    tasks.append(Task(_("Progress of every regency/city: search, filter, sort, export"), progress))
    return Section(_("The cycle across Indonesia"), tasks)
