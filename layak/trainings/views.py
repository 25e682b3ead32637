"""HTML views of the training register: thin wrappers around the selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from layak.common.forms import save_form
from layak.taskforces.form_helpers import form_page
from layak.taskforces.forms import ImportForm
from layak.taskforces.permissions import can_edit_register, check_edit_register
from layak.taskforces.selectors import region_get_for_register
from layak.taskforces.xlsx import ImportRejected, xlsx_response

from . import selectors, services
from .forms import ParticipantForm, TrainingForm

TRAINING_FIELDS = ("kind", "title", "starts_on", "ends_on", "organiser", "trainers", "materials", "notes")


@login_required
def training_summary(request: HttpRequest, region_code: str) -> HttpResponse:
    """The region's trainings, KHA-trained staff per OPD, and trained Gugus Tugas members who left."""
    region = region_get_for_register(user=request.user, code=region_code)
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
    region = region_get_for_register(user=request.user, code=region_code)
    check_edit_register(request.user, region)
    form = TrainingForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        training = save_form(form, lambda d: services.training_create(user=request.user, region=region, **d))
        if training:
            messages.success(request, _("The training was recorded. Now add its participants."))
            return redirect(training)
    return form_page(request, "trainings/training_form.html", region=region, form=form)


@login_required
def training_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator corrects a training's facts or attaches its materials."""
    training = selectors.training_get_for_user(user=request.user, pk=pk)
    check_edit_register(request.user, training.region)
    initial = {f: getattr(training, f) for f in TRAINING_FIELDS}
    form = TrainingForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and save_form(
        form, lambda d: services.training_update(user=request.user, training=training, **d)
    ):
        messages.success(request, _("The training was saved."))
        return redirect(training)
    context = {"region": training.region, "form": form, "training": training}
    return form_page(request, "trainings/training_form.html", **context)


def _detail_context(request: HttpRequest, training, **forms) -> dict:
    can_edit = can_edit_register(request.user, training.region_id)
    return {
        "training": training,
        "region": training.region,
        "participants": selectors.participant_list(training=training),
        "can_edit": can_edit,
        "participant_form": forms.get("participant_form")
        or (ParticipantForm(region=training.region) if can_edit else None),
        "import_form": forms.get("import_form") or ImportForm(),
        "import_errors": forms.get("import_errors", []),
    }


@login_required
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A training: its facts, materials and participants, with forms to add participants."""
    training = selectors.training_get_for_user(user=request.user, pk=pk)
    return render(request, "trainings/training_detail.html", _detail_context(request, training))


@login_required
@require_POST
def participant_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator adds one participant (the form sits on the training page)."""
    training = selectors.training_get_for_user(user=request.user, pk=pk)
    check_edit_register(request.user, training.region)
    form = ParticipantForm(request.POST, region=training.region)
    participant = save_form(form, lambda d: services.participant_create(user=request.user, training=training, **d))
    if participant:
        messages.success(request, _("%(name)s was added.") % {"name": participant.name})
        return redirect(f"{training.get_absolute_url()}#participants")
    context = _detail_context(request, training, participant_form=form)
    return render(request, "trainings/training_detail.html", context, status=400)


@login_required
@require_POST
def participant_import(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator adds participants from an Excel sheet; one bad row rejects the whole file."""
    training = selectors.training_get_for_user(user=request.user, pk=pk)
    check_edit_register(request.user, training.region)
    form, errors = ImportForm(request.POST, request.FILES), []
    if form.is_valid():
        try:
            created = services.participant_import(
                user=request.user, training=training, upload=form.cleaned_data["upload"]
            )
        except ImportRejected as exc:
            errors = exc.row_errors
        except ValidationError as exc:
            form.add_error("upload", exc)
        else:
            n = len(created)
            messages.success(
                request, ngettext("%(n)s participant was imported.", "%(n)s participants were imported.", n) % {"n": n}
            )
            return redirect(f"{training.get_absolute_url()}#participants")
    context = _detail_context(request, training, import_form=form, import_errors=errors)
    return render(request, "trainings/training_detail.html", context, status=400)


@login_required
@require_POST
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
    region = region_get_for_register(user=request.user, code=region_code)
    return xlsx_response(services.participant_template(region=region), f"peserta-pelatihan-{region.code}.xlsx")
