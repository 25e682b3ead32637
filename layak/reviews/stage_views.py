"""HTML views of the real stages (decision 0022): thin wrappers around `stages` services; each POST goes back to
the stages page with what happened (or why not) as a message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from layak.accounts.selectors import user_is_national_admin
from layak.common.confirm import Confirmation, ask_confirmation
from layak.common.numbers import format_datetime
from layak.evaluations.selectors import cycle_get_for_user
from layak.evidence.views import upload_size_limited, upload_too_large
from layak.frameworks.models import Question

from . import progress, progress_views, selectors, stage_selectors, stages
from .models import Objection
from .stage_forms import (
    AgendaForm,
    CompletionDocumentForm,
    CompletionOpenForm,
    DecisionForm,
    ExtendForm,
    FieldSelectionForm,
    HandoverForm,
    HearingForm,
    ObjectionForm,
)


def _back(assessment) -> HttpResponse:
    return redirect("reviews:assessment_stages", pk=assessment.pk)


def _errors(request: HttpRequest, form) -> None:
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))


def _done(request: HttpRequest, call, success: str) -> bool:
    try:
        call()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, success)
    return True


@login_required
def assessment_stages(request: HttpRequest, pk: int) -> HttpResponse:
    """The real stages of one assessment: hand-over letter, field visit (agenda, children heard, completion
    window), provisional results and objections — with the forms of whoever may act now."""
    assessment, process = selectors.review_assessment_get_for_user(request.user, pk)
    if process is None:
        raise Http404
    page = stage_selectors.stages_page(assessment, process, request.user)
    visit = page.visit
    context = {
        "p": page,
        "assessment": assessment,
        "process": process,
        "handover_form": HandoverForm() if page.can_attach_letter else None,
        "agenda_form": AgendaForm(
            initial={
                "visit_date": visit.visit_date,
                "mode": visit.mode,
                "sites": visit.sites,
                "team": visit.team,
                "expected_version": visit.version,
            }
        )
        if page.is_field_team and visit
        else None,
        "hearing_form": HearingForm() if page.is_field_team else None,
        "completion_form": CompletionOpenForm(questions=page.questions)
        if page.is_field_team and page.questions and page.open_window is None
        else None,
        "document_form": CompletionDocumentForm() if page.completable else None,
        "extend_form": ExtendForm() if page.is_admin and (page.windows or page.period) else None,
        "objection_form": ObjectionForm(questions=page.questions) if page.can_object else None,
        "decision_forms": [
            (o, DecisionForm(levels=page.levels, initial={"expected_version": o.version}, prefix=f"o{o.pk}"))
            for o in page.objections
            if page.is_admin and o.decision == "pending"
        ],
    }
    return render(request, "reviews/assessment_stages.html", context)


@upload_size_limited
@login_required
@require_POST
def handover_letter(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, _process = selectors.review_assessment_get_for_user(request.user, pk)
    form = HandoverForm(request.POST, request.FILES)
    if upload_too_large(request, form) or not form.is_valid():
        _errors(request, form)
        return _back(assessment)
    data = form.cleaned_data
    try:
        stages.handover_letter_attach(
            user=request.user, assessment=assessment, upload=data["letter"], number=data["number"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The letter is attached. Approving the province verification now hands the results over.")
        )
    return _back(assessment)


@login_required
@require_POST
def field_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, _process = selectors.review_assessment_get_for_user(request.user, pk)
    form = AgendaForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
    else:
        _done(
            request,
            lambda: stages.field_agenda_save(user=request.user, assessment=assessment, **form.cleaned_data),
            _("The agenda of the field visit is saved."),
        )
    return _back(assessment)


@login_required
@require_POST
def children_hearing(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, _process = selectors.review_assessment_get_for_user(request.user, pk)
    form = HearingForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
    else:
        data = form.cleaned_data
        counts = {key: data[key] for key in stages.HEARING_COUNTS}
        _done(
            request,
            lambda: stages.children_hearing_add(
                user=request.user,
                assessment=assessment,
                held_on=data["held_on"],
                counts=counts,
                topics=data["topics"],
                summary=data["summary"],
            ),
            _("The dialogue with children is recorded."),
        )
    return _back(assessment)


@login_required
@require_POST
def completion_open(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, process = selectors.review_assessment_get_for_user(request.user, pk)
    page = stage_selectors.stages_page(assessment, process, request.user)
    form = CompletionOpenForm(request.POST, questions=page.questions)
    if not form.is_valid():
        _errors(request, form)
        return _back(assessment)
    asked = ask_confirmation(
        request,
        Confirmation(
            title=_("Open the completion window for %(region)s?") % {"region": assessment.region.name},
            consequences=[
                ngettext(
                    "The region may add documents to %(count)s question for %(hours)s hours.",
                    "The region may add documents to %(count)s questions for %(hours)s hours.",
                    len(form.items()),
                )
                % {"count": len(form.items()), "hours": stages.completion_hours()},
                _("The field verification can be approved only after the window closes."),
            ],
            cannot_undo=_("The window cannot be closed early; a national admin can only extend it."),
            button=_("Yes: open the window"),
        ),
    )
    if asked:
        return asked
    _done(
        request,
        lambda: stages.completion_window_open(
            user=request.user, assessment=assessment, items=form.items(), note=form.cleaned_data["note"]
        ),
        _("The completion window is open; the region was told which questions to complete."),
    )
    return _back(assessment)


@upload_size_limited
@login_required
@require_POST
def completion_document(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    assessment, _process = selectors.review_assessment_get_for_user(request.user, pk)
    question = get_object_or_404(Question, pk=question_id, indicator__version_id=assessment.cycle.framework_id)
    form = CompletionDocumentForm(request.POST, request.FILES)
    if upload_too_large(request, form) or not form.is_valid():
        _errors(request, form)
        return _back(assessment)
    _done(
        request,
        lambda: stages.completion_document_add(
            user=request.user,
            assessment=assessment,
            question=question,
            upload=form.cleaned_data["document"],
            title=form.cleaned_data["title"],
        ),
        _("The document was added to question %(code)s and handed to the field team.") % {"code": question.full_code},
    )
    return _back(assessment)


@login_required
@require_POST
def window_extend(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, _process = selectors.review_assessment_get_for_user(request.user, pk)
    if not user_is_national_admin(request.user):
        raise PermissionDenied(_("Only a national admin can extend a region's window."))
    form = ExtendForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
    else:
        _done(
            request,
            lambda: stages.assessment_window_extend(user=request.user, assessment=assessment, **form.cleaned_data),
            _("The window of %(region)s is extended until %(when)s.")
            % {"region": assessment.region.name, "when": format_datetime(form.cleaned_data["until"])},
        )
    return _back(assessment)


@upload_size_limited
@login_required
@require_POST
def objection_file(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, process = selectors.review_assessment_get_for_user(request.user, pk)
    page = stage_selectors.stages_page(assessment, process, request.user)
    form = ObjectionForm(request.POST, request.FILES, questions=page.questions)
    if upload_too_large(request, form) or not form.is_valid():
        _errors(request, form)
        return _back(assessment)
    question = next(q for q in page.questions if q.pk == form.cleaned_data["question"])
    _done(
        request,
        lambda: stages.objection_file(
            user=request.user,
            assessment=assessment,
            question=question,
            reason=form.cleaned_data["reason"],
            upload=form.cleaned_data["document"],
        ),
        _("The objection on question %(code)s was sent to the ministry.") % {"code": question.full_code},
    )
    return _back(assessment)


@login_required
@require_POST
def objections_done(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, _process = selectors.review_assessment_get_for_user(request.user, pk)
    asked = ask_confirmation(
        request,
        Confirmation(
            title=_("Finished objecting to the results of %(region)s?") % {"region": assessment.region.name},
            consequences=[_("The ministry may then fix the final result without waiting for the deadline.")],
            cannot_undo=_("No further objection can be filed afterwards."),
            button=_("Yes: we have finished"),
        ),
    )
    if asked:
        return asked
    _done(
        request,
        lambda: stages.objections_done(user=request.user, assessment=assessment),
        _("The ministry was told that the region has finished objecting."),
    )
    return _back(assessment)


@login_required
@require_POST
def objection_decide(request: HttpRequest, pk: int, objection_id: int) -> HttpResponse:
    assessment, _process = selectors.review_assessment_get_for_user(request.user, pk)
    if not user_is_national_admin(request.user):
        raise PermissionDenied(_("Only a national admin decides objections."))
    objection = get_object_or_404(Objection.objects.select_related("question"), pk=objection_id, assessment=assessment)
    levels = [
        (level, symbol) for level, symbol in stage_selectors.stages_page(assessment, _process, request.user).levels
    ]
    form = DecisionForm(request.POST, levels=levels, prefix=f"o{objection.pk}")
    if not form.is_valid():
        _errors(request, form)
        return _back(assessment)
    data = form.cleaned_data
    asked = ask_confirmation(
        request,
        Confirmation(
            title=_("Decide the objection on question %(code)s?") % {"code": objection.question.full_code},
            consequences=[
                _("Accepted: the question's final points become the level chosen.")
                if data["decision"] == "accepted"
                else _("Rejected: the provisional grade stays."),
                _("The region reads the decision and its reason."),
            ],
            cannot_undo=_("A decision cannot be changed afterwards."),
            button=_("Yes: decide"),
        ),
    )
    if asked:
        return asked
    _done(
        request,
        lambda: stages.objection_decide(
            user=request.user,
            objection=objection,
            decision=data["decision"],
            level=data["level"],
            reason=data["reason"],
            expected_version=data["expected_version"],
        ),
        _("The objection is decided."),
    )
    return _back(assessment)


@login_required
@require_POST
def cycle_progress_field(request: HttpRequest, pk: int) -> HttpResponse:
    """A national admin selects the ticked regions (or all matching the filter) for field verification."""
    cycle = cycle_get_for_user(request.user, pk)
    if not user_is_national_admin(request.user):
        raise PermissionDenied(_("Only a national admin selects the regions for field verification."))
    f = progress.progress_filter_from(request.POST)
    back = reverse("reviews:cycle_progress", args=[cycle.pk]) + "?" + urlencode(f.as_query())
    form = FieldSelectionForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect(back)
    if request.POST.get("all_matching"):
        codes = progress.cycle_progress_codes(cycle, request.user, f)
    else:
        codes = [code[:13] for code in request.POST.getlist("regions")]
    select = form.cleaned_data["select"]
    asked = ask_confirmation(
        request,
        Confirmation(
            title=(
                ngettext(
                    "Select %(count)s regency/city for field verification?",
                    "Select %(count)s regencies/cities for field verification?",
                    len(codes),
                )
                if select
                else ngettext(
                    "Remove %(count)s regency/city from field verification?",
                    "Remove %(count)s regencies/cities from field verification?",
                    len(codes),
                )
            )
            % {"count": len(codes)},
            consequences=[
                _("Selected regions get a field visit (VLH) after the central review."),
                _("The others go from the central review straight to finalisation."),
            ],
            button=_("Yes: save the selection"),
        ),
    )
    if asked:
        return asked
    try:
        done = stages.field_selection_bulk(user=request.user, cycle=cycle, region_codes=codes, select=select)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    messages.success(
        request,
        ngettext("%(count)s regency/city changed.", "%(count)s regencies/cities changed.", len(done.assigned))
        % {"count": len(done.assigned)},
    )
    progress_views.left_out_warn(request, done.skipped)
    return redirect(back)
