"""HTML views of the training register: thin wrappers around the selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from layak.common.confirm import Confirmation, confirm_first
from layak.common.spreadsheets import xlsx_response
from layak.registers.access import can_edit_register, check_edit_register, kabkota_get_for_user
from layak.registers.views import RowsPage, form_view

from . import selectors, services
from .forms import ParticipantForm, TrainingForm

TRAINING_FIELDS = ("kind", "title", "starts_on", "ends_on", "organiser", "trainers", "materials", "notes")


@login_required
def training_summary(request: HttpRequest, region_code: str) -> HttpResponse:
    """The region's trainings, KHA-trained staff per OPD, and trained Gugus Tugas members who left."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    year = timezone.localdate().year
    context = {
        "region": region,
        "year": year,
        "trainings": selectors.training_list_for_region(region=region)[:500],
        "staff": selectors.kha_trained_staff(region=region),
        "by_agency": selectors.trained_staff_by_agency(region=region),
        "can_edit": can_edit_register(request.user, region.code),
    }
    return render(request, "trainings/training_summary.html", context)


@login_required
def training_create(request: HttpRequest, region_code: str) -> HttpResponse:
    """The coordinator records a training, then adds its participants."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    check_edit_register(request.user, region)
    return form_view(
        request,
        TrainingForm(request.POST or None, request.FILES or None),
        lambda d: services.training_create(user=request.user, region=region, **d),
        template="trainings/training_form.html",
        success=_("The training was recorded. Now add its participants."),
        region=region,
    )


@login_required
def training_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator corrects a training's facts or attaches its materials."""
    training = selectors.training_get_for_user(user=request.user, pk=pk)
    check_edit_register(request.user, training.region)
    initial = {f: getattr(training, f) for f in TRAINING_FIELDS}
    return form_view(
        request,
        TrainingForm(request.POST or None, request.FILES or None, initial=initial),
        lambda d: services.training_update(user=request.user, training=training, **d),
        template="trainings/training_form.html",
        success=_("The training was saved."),
        region=training.region,
        training=training,
    )


def _detail_context(request: HttpRequest, training) -> dict:
    return {
        "training": training,
        "region": training.region,
        "participants": selectors.participant_list(training=training),
    }


def _imported(n: int) -> str:
    return ngettext("%(n)s participant was imported.", "%(n)s participants were imported.", n) % {"n": n}


PARTICIPANTS = RowsPage(
    template="trainings/training_detail.html",
    anchor="participants",
    key="training",
    get=selectors.training_get_for_user,
    context=_detail_context,
    add_form=lambda training, data: ParticipantForm(data, region=training.region),
    create=services.participant_create,
    import_rows=services.participant_import,
    imported=_imported,
)
training_detail = PARTICIPANTS.detail_view("A training: its facts, materials and participants, with forms to add some.")
participant_create = PARTICIPANTS.add_view("The coordinator adds one participant (the form sits on the training page).")
participant_import = PARTICIPANTS.import_view(
    "The coordinator adds participants from an Excel sheet; one bad row rejects it."
)


def _remove_question(request: HttpRequest, pk: int, participant_id: int) -> Confirmation:
    training = selectors.training_get_for_user(user=request.user, pk=pk)
    participant = get_object_or_404(training.participants, pk=participant_id)
    return Confirmation(
        title=_("Remove %(name)s from “%(training)s”?") % {"name": participant.name, "training": training.title},
        consequences=[_("The person no longer counts as trained in this training.")],
        cannot_undo=_("To undo it, add the participant again."),
        button=_("Yes, remove the participant"),
        danger=True,
    )


@login_required
@require_POST
@confirm_first(_remove_question)
def participant_remove(request: HttpRequest, pk: int, participant_id: int) -> HttpResponse:
    """The coordinator takes a participant entered by mistake off the list."""
    training = selectors.training_get_for_user(user=request.user, pk=pk)
    participant = get_object_or_404(training.participants.select_related("training__region"), pk=participant_id)
    services.participant_remove(user=request.user, participant=participant)
    messages.success(request, _("%(name)s was removed.") % {"name": participant.name})
    return redirect(f"{training.get_absolute_url()}#participants")


@login_required
def participant_template(request: HttpRequest, region_code: str) -> HttpResponse:
    """The Excel template for importing participants, listing the region's OPDs."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    return xlsx_response(services.participant_template(region=region), f"peserta-pelatihan-{region.code}.xlsx")
