"""HTML views of verification: thin wrappers around the review services and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from layak.accounts.selectors import user_is_national_admin
from layak.common.confirm import ask_confirmation, confirm_first
from layak.common.generations import cached_fragment
from layak.common.pagecache import PLACEHOLDER as CSRF_PLACEHOLDER
from layak.evaluations.forms import AnswerForm
from layak.evaluations.models import Assessment
from layak.evaluations.scoring_input import rules_load
from layak.evaluations.selectors import cycle_get_for_user
from layak.evaluations.services import ConflictError
from layak.evidence.views import upload_size_limited, upload_too_large

from . import confirmations, grading, permissions, question_analysis, selectors, services, stage_selectors
from .forms import (
    ConflictForm,
    CycleWindowForm,
    IndicatorReviewForm,
    PredicateForm,
    QuestionGradeForm,
    ReviewerAssignForm,
    RevisionEvidenceForm,
    RevisionRequestForm,
    TransitionForm,
    UnpublishForm,
)
from .models import ReviewProcess
from .recompute_job import recompute_start
from .stamps import AssessmentFacts, assessment_facts, viewer_assessment

PER_PAGE = 50


def _review_url(assessment) -> str:
    return reverse("reviews:assessment_review", args=[assessment.pk])


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """Reviews waiting for the user (assigned ones; all for national admins; the region's own)."""
    page = Paginator(selectors.review_queue_for_user(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reviews/review_queue.html", {"page": page})


def _cycle_page(request: HttpRequest, cycle, *, window_form=None, status: int = 200) -> HttpResponse:
    data = selectors.cycle_reviews(cycle, request.user)
    page = Paginator(data.rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {"data": data, "page": page}
    if user_is_national_admin(request.user):
        context["window_form"] = window_form or CycleWindowForm()
        context["unpublish_form"] = UnpublishForm() if cycle.results_published_at else None
    return render(request, "reviews/cycle_reviews.html", context, status=status)


@login_required
def cycle_reviews(request: HttpRequest, pk: int) -> HttpResponse:
    """The review progress of a cycle in the user's regions; national admins publish the results here."""
    return _cycle_page(request, cycle_get_for_user(request.user, pk))


@login_required
@require_POST
def cycle_window(request: HttpRequest, pk: int) -> HttpResponse:
    """A national admin moves a verification stage's window of the cycle, with the reason."""
    cycle = cycle_get_for_user(request.user, pk)
    if not user_is_national_admin(request.user):
        raise PermissionDenied(_("Only a national admin can change the cycle's schedule."))
    form = CycleWindowForm(request.POST)
    if form.is_valid():
        try:
            services.cycle_window_change(user=request.user, cycle=cycle, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The schedule of %(cycle)s was changed.") % {"cycle": cycle.name})
            return redirect("reviews:cycle_reviews", pk=cycle.pk)
    return _cycle_page(request, cycle, window_form=form, status=400)


@login_required
@require_POST
@confirm_first(confirmations.publish)
def cycle_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """A national admin publishes the cycle's final results."""
    cycle = cycle_get_for_user(request.user, pk)
    try:
        services.cycle_results_publish(user=request.user, cycle=cycle)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The results of %(cycle)s are published.") % {"cycle": cycle.name})
    return redirect("reviews:cycle_reviews", pk=cycle.pk)


@login_required
def cycle_publish_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """What publishing the cycle makes public, exactly, before a national admin publishes it."""
    cycle = cycle_get_for_user(request.user, pk)
    if not user_is_national_admin(request.user):
        raise PermissionDenied(_("Only a national admin can publish results."))
    preview = selectors.publication_preview(cycle, request.user)
    page = Paginator(preview.results, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reviews/cycle_publish_preview.html", {"p": preview, "page": page})


@login_required
@require_POST
def cycle_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    """A national admin withdraws the cycle's published results, with a reason (asks first)."""
    cycle = cycle_get_for_user(request.user, pk)
    if not user_is_national_admin(request.user):
        raise PermissionDenied(_("Only a national admin can withdraw published results."))
    form = UnpublishForm(request.POST)
    if form.is_valid():
        asked = ask_confirmation(request, confirmations.unpublish(cycle))
        if asked:
            return asked
        try:
            services.cycle_results_unpublish(user=request.user, cycle=cycle, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("The results of %(cycle)s were withdrawn.") % {"cycle": cycle.name})
        return redirect("reviews:cycle_reviews", pk=cycle.pk)
    messages.error(request, _("Say why the results are withdrawn; it is kept in the cycle's history."))
    return redirect("reviews:cycle_reviews", pk=cycle.pk)


def _review_page(request, assessment, process, *, assign_form=None, predicate_form=None, status=200):
    page = selectors.review_page(assessment, process, request.user)
    context = {"p": page, "transition_form": TransitionForm(), "stage_steps": []}
    if process is not None:
        context["stage_steps"] = stage_selectors.stages_page(
            assessment, process, request.user, with_questions=False
        ).next_steps
    if page.is_admin:
        context["assign_form"] = assign_form or ReviewerAssignForm(region_code=assessment.region_id)
        if page.final:
            bands = rules_load(assessment.cycle.framework).bands
            initial = {"band_code": page.final.band_code, "reason": page.final.override_reason}
            context["predicate_form"] = predicate_form or PredicateForm(bands=bands, initial=initial)
    return render(request, "reviews/assessment_review.html", context, status=status)


@login_required
def assessment_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The review of one assessment: its state, the allowed actions, the indicators and the revision rounds."""
    assessment, process = selectors.review_assessment_get_for_user(request.user, pk)
    return _review_page(request, assessment, process)


@login_required
@require_POST
@confirm_first(confirmations.transition)
def assessment_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """One workflow action (approve, resubmit, return, finalise, reopen) with its comment."""
    assessment, _process = selectors.review_assessment_get_for_user(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This page is out of date; it now shows where the review stands. Try again."))
        return redirect(_review_url(assessment))
    data = form.cleaned_data
    try:
        services.review_transition(
            user=request.user,
            assessment=assessment,
            action=data["action"],
            comment=data["comment"],
            expected_state=data["state"],
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Done: the review moved on."))
    return redirect(_review_url(assessment))


@login_required
def revision_request(request: HttpRequest, pk: int) -> HttpResponse:
    """A reviewer sends named indicators back to the region with what to fix and a deadline."""
    assessment, process = selectors.review_assessment_get_for_user(request.user, pk)
    indicators = list(rules_load(assessment.cycle.framework).indicators)
    form = RevisionRequestForm(
        request.POST or None, indicators=indicators, initial={"state": process.state if process else ""}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        asked = ask_confirmation(request, confirmations.revision(assessment, form.items(), data["deadline"]))
        if asked:
            return asked
        try:
            services.review_transition(
                user=request.user,
                assessment=assessment,
                action="request_revision",
                comment=data["comment"],
                items=form.items(),
                deadline=data["deadline"],
                expected_state=data["state"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The indicators were sent back to the region."))
            return redirect(_review_url(assessment))
    context = {"assessment": assessment, "process": process, "form": form}
    return render(request, "reviews/revision_request.html", context, status=400 if form.errors else 200)


@login_required
def indicator_review(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """One indicator: the region's data and evidence beside the rubric's result; the reviewer scores it here."""
    assessment, process = selectors.review_assessment_get_for_user(request.user, pk)
    page = selectors.indicator_page(assessment, process, request.user, code)
    initial = {
        "points": page.current.points if page.current else page.previous,
        "expected_version": page.current.version if page.current else 0,
    }
    if page.current:
        initial |= {"reason": page.current.reason, "comment": page.current.comment}
    form = IndicatorReviewForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_review_save(
                user=request.user, assessment=assessment, indicator=page.indicator, **form.cleaned_data
            )
        except services.ScoreConflict as exc:
            conflict = exc
            form.add_error(None, exc.message)
            # The next save knowingly replaces the score now stored (the person has seen both).
            form.data = form.data.copy()
            form.data["expected_version"] = str(exc.current.version)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Score of %(code)s saved.") % {"code": code})
            return redirect(_review_url(assessment))
    status = 409 if conflict else 400 if form.errors else 200
    context = {"page": page, "form": form, "conflict": conflict}
    return render(request, "reviews/indicator_review.html", context, status=status)


def _level_of(points, levels) -> str | None:
    return next((level for level, _symbol, value in levels if value == points), None)


def _viewed(request: HttpRequest, pk: int) -> tuple[AssessmentFacts, Assessment, ReviewProcess | None]:
    """The assessment as the pages that read show it (`stamps.assessment_facts`: 404 outside the user's regions),
    a copy carrying the user's review duties, and its review."""
    facts = assessment_facts(request.user, pk)
    return facts, viewer_assessment(request.user, facts), facts.process


def _header(facts: AssessmentFacts, assessment: Assessment, process: ReviewProcess | None, active: str) -> SafeString:
    """The assessment's header and tabs, rendered once per stamp (it shows the region, cycle and review state)."""
    return cached_fragment(
        f"reviews:header:{assessment.pk}:{facts.stamp}:{active}",
        "reviews/_assessment_header.html",
        lambda: {"assessment": assessment, "process": process, "active": active},
    )


def _with_csrf(request: HttpRequest, body: SafeString) -> SafeString:
    """A shared fragment's form with this request's CSRF token in place of the placeholder it was rendered with."""
    return mark_safe(body.replace(CSRF_PLACEHOLDER, get_token(request))) if CSRF_PLACEHOLDER in body else body


def _question_form(page: selectors.QuestionPage, data=None) -> QuestionGradeForm:
    current = page.current
    initial = {
        "level": current.level if current else _level_of(page.previous, page.levels),
        "expected_version": current.version if current else 0,
    }
    if current:
        initial |= {"reason": current.reason, "comment": current.comment}
    return QuestionGradeForm(data, initial=initial, levels=page.levels)


def _question_view(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    """The question page as read: rendered once per stamp, question, language and what the user may do there
    (see verified grades, grade now), its form carrying the request's CSRF token."""
    facts, assessment, process = _viewed(request, pk)
    question = selectors.question_of(assessment, question_id)
    sees = permissions.sees_verified_scores(request.user, assessment, process)
    can = permissions.can_score(request.user, assessment, process)

    def build() -> dict:
        page = selectors.question_page(assessment, process, request.user, question_id)
        form = _question_form(page)
        context = {"page": page, "form": form, "conflict": None, "choices": form.level_choices()}
        return context | {"csrf_token": CSRF_PLACEHOLDER}

    key = f"reviews:question:{pk}:{question_id}:{facts.stamp}:{int(sees)}{int(can)}"
    body = _with_csrf(request, cached_fragment(key, "reviews/_question_grade_body.html", build))
    context = {"assessment": assessment, "question": question, "body": body}
    return render(request, "reviews/question_grade.html", context)


@login_required
def question_grade(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    """One question of a question-level instrument: the region's answer and evidence, the self-score, what this
    stage starts from; the verifier grades it with a level of the scale."""
    if request.method in ("GET", "HEAD"):
        return _question_view(request, pk, question_id)
    assessment, process = selectors.review_assessment_with_duties(request.user, pk)
    page = selectors.question_page(assessment, process, request.user, question_id)
    form = _question_form(page, request.POST)
    conflict = None
    if request.method == "POST" and form.is_valid():
        if not page.can_score:
            raise PermissionDenied(_("You cannot grade this question now."))
        try:
            services.question_grade_save(
                user=request.user, assessment=assessment, question=page.question, **form.cleaned_data
            )
        except services.ScoreConflict as exc:
            conflict = exc
            form.add_error(None, exc.message)
            form.data = form.data.copy()
            form.data["expected_version"] = str(exc.current.version)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            code = f"{page.question.indicator.code}.{page.question.code}"
            messages.success(request, _("Grade of question %(code)s saved.") % {"code": code})
            return redirect(_review_url(assessment))
    status = 409 if conflict else 400 if form.errors else 200
    context = {"page": page, "form": form, "conflict": conflict, "choices": form.level_choices()}
    context |= {"assessment": assessment, "question": page.question}
    return render(request, "reviews/question_grade.html", context, status=status)


@upload_size_limited
@login_required
def revision_answer(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The region fixes an indicator that came back for revision (only those, until the deadline): values,
    narrative and a new evidence file."""
    assessment, process = selectors.review_assessment_get_for_user(request.user, pk)
    page = selectors.indicator_page(assessment, process, request.user, code)
    if not page.can_revise:
        raise PermissionDenied(_("This indicator is not open for revision by you."))
    elements = sorted(page.indicator.elements.all(), key=lambda e: (e.order, e.pk))
    form = _revision_form(request, page, elements)
    evidence_form = RevisionEvidenceForm(request.POST or None, request.FILES or None)
    if (
        request.method == "POST"
        and not upload_too_large(request, evidence_form)
        and form.is_valid()
        and evidence_form.is_valid()
    ):
        data = form.cleaned_data
        try:
            services.revision_answer_save(
                user=request.user,
                assessment=assessment,
                indicator=page.indicator,
                values=form.values(),
                narrative_done=data["narrative_done"],
                narrative_todo=data["narrative_todo"],
                expected_revision=data["expected_revision"],
                upload=evidence_form.cleaned_data["evidence_file"],
                evidence_title=evidence_form.cleaned_data["evidence_title"],
            )
        except ConflictError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Indicator %(code)s saved.") % {"code": code})
            return redirect(_review_url(assessment))
    rows = [(element, form.field_for(element)) for element in form.elements]
    context = {"page": page, "form": form, "rows": rows, "evidence_form": evidence_form}
    failed = form.errors or evidence_form.errors
    return render(request, "reviews/revision_answer.html", context, status=400 if failed else 200)


def _revision_form(request, page, elements) -> AnswerForm:
    if request.method == "POST":
        return AnswerForm(elements, request.POST)
    answer = page.answer
    initial = {"expected_revision": answer.revision if answer else 0}
    if answer:
        initial |= {"narrative_done": answer.narrative_done, "narrative_todo": answer.narrative_todo}
    return AnswerForm(elements, initial=initial, values=answer.values if answer else None)


@login_required
@require_POST
def reviewer_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """A national admin assigns a reviewer to a stage of the assessment."""
    assessment, process = selectors.review_assessment_get_for_user(request.user, pk)
    if not user_is_national_admin(request.user):
        raise PermissionDenied(_("Only a national admin can assign reviewers."))
    form = ReviewerAssignForm(request.POST, region_code=assessment.region_id)
    if form.is_valid():
        try:
            services.reviewer_assign(user=request.user, assessment=assessment, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Reviewer assigned."))
            return redirect(_review_url(assessment))
    return _review_page(request, assessment, process, assign_form=form, status=400)


@login_required
@require_POST
@confirm_first(confirmations.reviewer_unassign)
def reviewer_unassign(request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    """A national admin removes a reviewer from a stage."""
    assessment, _process = selectors.review_assessment_get_for_user(request.user, pk)
    assignment = selectors.assignment_get_for_user(request.user, assessment, assignment_id)
    services.reviewer_unassign(user=request.user, assignment=assignment)
    messages.success(request, _("Reviewer removed."))
    return redirect(_review_url(assessment))


@login_required
@require_POST
def final_predicate(request: HttpRequest, pk: int) -> HttpResponse:
    """A national admin sets the awarded predicate (a different one needs a reason)."""
    assessment, process = selectors.review_assessment_get_for_user(request.user, pk)
    if not user_is_national_admin(request.user):
        raise PermissionDenied(_("Only a national admin can set the final predicate."))
    form = PredicateForm(request.POST, bands=rules_load(assessment.cycle.framework).bands)
    if form.is_valid():
        try:
            services.final_predicate_set(user=request.user, assessment=assessment, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Final predicate saved."))
            return redirect(_review_url(assessment))
    return _review_page(request, assessment, process, predicate_form=form, status=400)


@login_required
def assessment_scores(request: HttpRequest, pk: int) -> HttpResponse:
    """Scores per stage side by side (self, province, central, field, final) with deltas and reasons."""
    facts, assessment, process = _viewed(request, pk)
    sees = permissions.sees_verified_scores(request.user, assessment, process)
    # The body (header, table) is rendered once per stamp, language and whether the viewer sees verified stages.
    body = cached_fragment(
        f"reviews:scores:{pk}:{facts.stamp}:{int(sees)}",
        "reviews/_assessment_scores_body.html",
        lambda: {
            "assessment": assessment,
            "process": process,
            "table": selectors.score_table(assessment, process, request.user),
        },
    )
    return render(request, "reviews/assessment_scores.html", {"assessment": assessment, "body": body})


@login_required
def assessment_explain(request: HttpRequest, pk: int) -> HttpResponse:
    """Points earned and lost per indicator and why, and the fewest improvements to reach the next band."""
    assessment, process = selectors.review_assessment_get_for_user(request.user, pk)
    if grading.is_question_level(assessment):
        target = request.GET.get("target", "")
        found = question_analysis.question_analysis(assessment, process, request.user, target)
        target = target if target in {band.code for band in found.bands} else ""
        # The body shows only the analysis (its key names the data, the stages shown and the target): shared.
        body = cached_fragment(
            f"question-explain:{found.key}",
            "reviews/_question_explain_body.html",
            lambda: {"assessment": assessment, "a": found, "target": target},
        )
        context = {"assessment": assessment, "process": process, "a": found, "body": body}
        return render(request, "reviews/question_explain.html", context)
    result = selectors.analysis(assessment, process, request.user)
    return render(
        request, "reviews/assessment_explain.html", {"assessment": assessment, "process": process, "a": result}
    )


@login_required
def assessment_whatif(request: HttpRequest, pk: int) -> HttpResponse:
    """Toggle hypothetical improvements and see score and band change (htmx swaps the result panel)."""
    facts, assessment, process = _viewed(request, pk)
    if grading.is_question_level(assessment):
        return _question_whatif(request, facts, assessment, process)
    if request.headers.get("HX-Request"):
        result = selectors.analysis(assessment, process, request.user)
        chosen = selectors.whatif_chosen(result, request.GET.getlist("do"), plan=request.GET.get("plan") == "1")
        context = {"assessment": assessment, "process": process, "a": result, "w": chosen}
        return render(request, "reviews/_whatif_result.html", context)

    def build() -> dict:
        result = selectors.analysis(assessment, process, request.user)
        chosen = selectors.whatif_chosen(result, request.GET.getlist("do"), plan=request.GET.get("plan") == "1")
        return {"assessment": assessment, "a": result, "w": chosen}

    body = _whatif_body(request, facts, assessment, process, "reviews/_whatif_body.html", build)
    context = {"assessment": assessment, "body": body, "header": _header(facts, assessment, process, "whatif")}
    return render(request, "reviews/assessment_whatif.html", context)


def _query(request: HttpRequest) -> str:
    return "&".join(f"{name}={value}" for name, values in sorted(request.GET.lists()) for value in values)


def _whatif_body(
    request: HttpRequest,
    facts: AssessmentFacts,
    assessment: Assessment,
    process: ReviewProcess | None,
    template: str,
    build,
) -> SafeString:
    """The what-if below the assessment's header, rendered once per stamp of the assessment (its generation moves
    with every write of its data and of its review's state), whether the viewer sees verified scores (the only
    thing of the viewer it depends on), the query and the language; shared by everyone with the same view of it."""
    sees = permissions.sees_verified_scores(request.user, assessment, process)
    return cached_fragment(f"reviews:whatif:{assessment.pk}:{facts.stamp}:{sees}:{_query(request)}", template, build)


def _question_whatif(
    request: HttpRequest, facts: AssessmentFacts, assessment: Assessment, process: ReviewProcess | None
) -> HttpResponse:
    """The what-if of a question-level assessment: set any question to a level of the scale (htmx swaps the
    result panel); `?plan=1` sets the plan's levels, `?target=` aims the plan at a chosen predicate."""
    target, plan = request.GET.get("target", ""), request.GET.get("plan") == "1"
    wanted = {key.removeprefix("q-"): value for key, value in request.GET.items() if key.startswith("q-") and value}

    def context() -> dict:
        found = question_analysis.question_analysis(assessment, process, request.user, target, stored=facts.stored)
        chosen = question_analysis.question_whatif(found, wanted, plan=plan)
        return {"assessment": assessment, "process": process, "a": found, "w": chosen}

    if request.headers.get("HX-Request"):
        return render(request, "reviews/_question_whatif_result.html", context())

    def build() -> dict:
        built = context()
        return {**built, "rows": question_analysis.whatif_rows(built["a"], built["w"].chosen)}

    if wanted and not plan:
        body = render_to_string("reviews/_question_whatif_body.html", build())  # levels typed without JavaScript
    else:
        # The first view and the plan's levels show only the analysis: shared by everyone who sees it.
        sees = permissions.sees_verified_scores(request.user, assessment, process)
        key = f"question-whatif:{assessment.pk}:{facts.stamp}:{int(sees)}:{target[:16]}:{int(plan)}"
        body = cached_fragment(key, "reviews/_question_whatif_body.html", build)
    context_page = {"assessment": assessment, "body": body, "header": _header(facts, assessment, process, "whatif")}
    return render(request, "reviews/question_whatif.html", context_page)


@login_required
def assessment_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """Every transition, score, comment and answer change of the assessment, newest first."""
    assessment, process = selectors.review_assessment_get_for_user(request.user, pk)
    page = Paginator(selectors.timeline_events(assessment), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "reviews/assessment_timeline.html", {"assessment": assessment, "process": process, "page": page}
    )


@login_required
def conflict_list(request: HttpRequest) -> HttpResponse:
    """The user's conflict-of-interest declarations and the form to declare one."""
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_declare(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Conflict of interest declared."))
            return redirect("reviews:conflict_list")
    context = {"form": form, "conflicts": selectors.conflict_list_for_user(request.user)}
    return render(request, "reviews/conflict_list.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
@confirm_first(confirmations.recompute)
def cycle_recompute(request: HttpRequest, pk: int) -> HttpResponse:
    """A national admin recomputes every submitted assessment's scores of the cycle, as a background job."""
    cycle = cycle_get_for_user(request.user, pk)
    job = recompute_start(user=request.user, cycle=cycle)
    return redirect("jobs:job_detail", job.pk)
