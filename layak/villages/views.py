"""Kelana/Dekela pages: the kab/kota's kecamatan and desa, provisioning operators, joining with a code."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_POST

from layak.common import spreadsheets
from layak.common.confirm import is_confirmed
from layak.common.generations import cached_fragment
from layak.common.spreadsheets import ImportRejected
from layak.evidence import storage
from layak.evidence.api import CHUNK_SIZE
from layak.evidence.forms import EvidenceUploadForm
from layak.evidence.services import evidence_create_from_upload
from layak.evidence.views import upload_script_messages, upload_size_limited, upload_too_large
from layak.regions.choices import RegionLevel
from layak.registers.access import can_edit_register, check_edit_register, kabkota_get_for_user

from . import provisioning, selectors, services
from . import rollup as rollup_mod
from .forms import AnswerForm, EvidencePickForm, JoinForm, ProvisionForm, ReopenForm


@login_required
def region_villages(request: HttpRequest, region_code: str) -> HttpResponse:
    """The kab/kota's kecamatan (with their desa), operators and invitations."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    context = {
        "region": region,
        "kecamatan": selectors.kecamatan_list_for_kabkota(region=region),
        "invitations": selectors.invitation_summary_for_kabkota(region=region),
        "can_manage": can_edit_register(request.user, region.code),
        "cycle": selectors.village_cycle_current(),
    }
    return render(request, "villages/region_villages.html", context)


@login_required
def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One kecamatan (with its desa/kelurahan) or one desa/kelurahan, for whoever may see it."""
    area = selectors.area_get_for_user(user=request.user, code=code)
    desa = selectors.desa_list_for_kecamatan(region=area) if area.level == RegionLevel.KECAMATAN else []
    cycle = selectors.village_cycle_current()
    states = selectors.checklist_states(cycle=cycle, parent=area) if cycle else {}
    rows = [(row, states.get(row.region.code)) for row in desa]
    context = {"area": area, "desa": rows, "cycle": cycle, "own": states.get(area.code)}
    return render(request, "villages/area_detail.html", context)


@login_required
def provision_template(request: HttpRequest, region_code: str, fmt: str) -> HttpResponse:
    """The provisioning sheet of the kab/kota (every kecamatan and desa, empty contact columns)."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    check_edit_register(request.user, region)
    name = f"operator-{region.code}"
    if fmt == "csv":
        return spreadsheets.csv_response(f"{name}.csv", provisioning.template_csv_rows(region))
    if fmt != "xlsx":
        raise Http404
    return spreadsheets.xlsx_response(provisioning.template_xlsx(region), f"{name}.xlsx")


@never_cache
@login_required
def provision(request: HttpRequest, region_code: str) -> HttpResponse:
    """Upload the filled sheet; on success the printable invitations (codes shown on this response only)."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    check_edit_register(request.user, region)
    form, errors = ProvisionForm(request.POST or None, request.FILES or None), []
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.operators_provision(user=request.user, region=region, upload=form.cleaned_data["upload"])
        except ImportRejected as exc:
            errors = exc.row_errors
            if not errors:
                form.add_error("upload", exc)
        except ValidationError as exc:
            form.add_error("upload", exc)
        else:
            join_url = request.build_absolute_uri(reverse("villages:join"))
            context = {"region": region, "issued": issued, "join_url": join_url}
            return render(request, "villages/invitations_print.html", context)
    context = {"region": region, "form": form, "import_errors": errors}
    return render(request, "villages/provision.html", context, status=400 if request.method == "POST" else 200)


@never_cache
def join(request: HttpRequest) -> HttpResponse:
    """An invited operator creates their account with the code printed for them, and is signed in."""
    form = JoinForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            user = services.invitation_redeem(code=d["code"], username=d["username"], password=d["password"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            login(request, user, backend="layak.accounts.backends.CachedModelBackend")
            messages.success(request, _("Welcome! Your account is ready."))
            return redirect("villages:my_areas")
    return render(request, "villages/join.html", {"form": form}, status=400 if request.method == "POST" else 200)


@login_required
def my_areas(request: HttpRequest) -> HttpResponse:
    """Where a kecamatan or desa operator lands: the areas they look after."""
    areas = selectors.area_list_for_user(user=request.user)
    if len(areas) == 1:
        return redirect("villages:area_detail", code=areas[0].code)
    return render(request, "villages/my_areas.html", {"areas": areas})


# --- Checklists -----------------------------------------------------------------------------------------------


def _checklist_context(request: HttpRequest, code: str, cycle_pk: int):
    area = selectors.area_get_for_user(user=request.user, code=code, with_parents=False)
    cycle, found = selectors.checklist_and_cycle(cycle_pk=cycle_pk, region=area)
    return area, cycle, found


@login_required
def checklist(request: HttpRequest, code: str, cycle_pk: int) -> HttpResponse:
    """An area's checklist: its questions with their answers, on one small page; send it when all are answered."""
    page = selectors.checklist_page_get(user=request.user, code=code, cycle_pk=cycle_pk)
    area, cycle, found = page.area, page.cycle, page.checklist
    # The state and the list of questions and answers are the same for everyone who may see the checklist: kept
    # as one fragment per generation of the area's checklist (decision 0033); what depends on the visitor (the
    # buttons, their forms and CSRF token) is not in it.
    body = cached_fragment(
        f"villages:checklist:{page.stamp}",
        "villages/_checklist_body.html",
        lambda: selectors.checklist_list_context(cycle=cycle, region=area, checklist=found),
    )
    context = {
        "area": area,
        "cycle": cycle,
        "checklist": found,
        "body": body,
        "can_answer": services.can_answer(request.user, area),
        "can_verify": services.can_verify(request.user, area),
    }
    return render(request, "villages/checklist.html", context)


@never_cache
@login_required
def checklist_question(request: HttpRequest, code: str, cycle_pk: int, question_pk: int) -> HttpResponse:
    """One question on its own small page (phones, slow connections); the form autosaves as it changes."""
    area, cycle, found = _checklist_context(request, code, cycle_pk)
    rows = selectors.checklist_rows(cycle=cycle, region=area, checklist=found)
    index = next((i for i, r in enumerate(rows) if r.question.pk == question_pk), None)
    if index is None:
        raise Http404
    row = rows[index]
    initial = {}
    if row.answer is not None:
        initial = {"value": {True: "yes", False: "no"}.get(row.answer.value, ""), "note": row.answer.note}
    form = AnswerForm(request.POST or None, initial=initial)
    can_answer = services.can_answer(request.user, area)
    autosave = request.headers.get("X-Autosave") == "1"
    if request.method == "POST":
        if not can_answer:
            raise Http404
        if form.is_valid():
            source = row.offer.source if row.offer and form.cleaned_data["use_offer"] else ""
            try:
                services.checklist_answer_save(
                    user=request.user,
                    cycle=cycle,
                    region=area,
                    question=row.question,
                    value=form.answer(),
                    note=form.cleaned_data["note"],
                    source=source,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if autosave:
                    return JsonResponse({"detail": _("Saved.")})
                following = rows[index + 1] if index + 1 < len(rows) else None
                if following is None:
                    return redirect("villages:checklist", code=area.code, cycle_pk=cycle.pk)
                return redirect(
                    "villages:checklist_question", code=area.code, cycle_pk=cycle.pk, question_pk=following.question.pk
                )
        if autosave:
            return JsonResponse({"detail": " ".join(m for ms in form.errors.values() for m in ms)}, status=422)
    context = {
        "area": area,
        "cycle": cycle,
        "row": row,
        "number": index + 1,
        "count": len(rows),
        "previous": rows[index - 1] if index else None,
        "following": rows[index + 1] if index + 1 < len(rows) else None,
        "form": form,
        "checklist": found,
        "can_answer": can_answer and not (found and found.verified_at),
        "chunk_size": CHUNK_SIZE,
        "upload_messages": upload_script_messages(),
        "autosave_messages": {
            "saving": _("Saving…"),
            "saved": _("Saved."),
            "failed": _("Not saved."),
            "offline": _("Not saved: no connection. Your answer stays on this page; press Save when you are online."),
        },
        "max_mb": storage.max_bytes() // (1024 * 1024),
        "upload_form": EvidenceUploadForm(),
    }
    return render(request, "villages/checklist_question.html", context, status=400 if request.method == "POST" else 200)


@upload_size_limited
@login_required
@require_POST
def checklist_evidence(request: HttpRequest, code: str, cycle_pk: int, question_pk: int) -> HttpResponse:
    """Attaches a document to the answer: a plain upload (no JavaScript) or the id the chunked uploader made."""
    area, cycle, _found = _checklist_context(request, code, cycle_pk)
    question = selectors.checklist_question_get(cycle=cycle, region=area, pk=question_pk)
    if not services.can_answer(request.user, area):
        raise Http404
    back = redirect("villages:checklist_question", code=area.code, cycle_pk=cycle.pk, question_pk=question.pk)
    try:
        if "evidence" in request.POST:
            pick = EvidencePickForm(request.POST)
            evidence = (
                selectors.area_evidence_get(region=area, pk=pick.data.get("evidence")) if pick.is_valid() else None
            )
            if evidence is None:
                raise Http404
        else:
            form = EvidenceUploadForm(request.POST, request.FILES)
            if upload_too_large(request, form) or not form.is_valid():
                messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
                return back
            data = form.cleaned_data
            evidence = evidence_create_from_upload(user=request.user, region=area, upload=data.pop("file"), **data)
        services.checklist_evidence_attach(
            user=request.user, cycle=cycle, region=area, question=question, evidence=evidence
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return back
    messages.success(request, _("The document is attached."))
    return back


@login_required
@require_POST
def checklist_submit(request: HttpRequest, code: str, cycle_pk: int) -> HttpResponse:
    """Sends the area's checklist to the kab/kota."""
    area, cycle, _found = _checklist_context(request, code, cycle_pk)
    if not services.can_answer(request.user, area):
        raise Http404
    try:
        services.checklist_submit(user=request.user, cycle=cycle, region=area)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The checklist of %(area)s is sent to the regency/city.") % {"area": area.name})
    return redirect("villages:checklist", code=area.code, cycle_pk=cycle.pk)


@login_required
@require_POST
def checklist_verify(request: HttpRequest, code: str, cycle_pk: int) -> HttpResponse:
    """The kab/kota coordinator verifies a submitted checklist."""
    area, cycle, found = _checklist_context(request, code, cycle_pk)
    if found is None or not services.can_verify(request.user, area):
        raise Http404
    try:
        services.checklist_verify(user=request.user, checklist=found)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The checklist of %(area)s is verified.") % {"area": area.name})
    return redirect("villages:checklist", code=area.code, cycle_pk=cycle.pk)


@never_cache
@login_required
def checklist_reopen(request: HttpRequest, code: str, cycle_pk: int) -> HttpResponse:
    """Asks the coordinator (whoever verifies) why a verified checklist goes back to its operator, says what will
    happen, and reopens it only on the confirmed POST with a reason."""
    area, cycle, found = _checklist_context(request, code, cycle_pk)
    if found is None or not services.can_verify(request.user, area):
        raise Http404
    back = reverse("villages:checklist", kwargs={"code": area.code, "cycle_pk": cycle.pk})
    if found.verified_at is None:
        messages.info(
            request, _("The checklist of %(area)s is not verified; there is nothing to reopen.") % {"area": area.name}
        )
        return redirect(back)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and is_confirmed(request) and form.is_valid():
        try:
            services.checklist_reopen(user=request.user, checklist=found, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The checklist of %(area)s is reopened; its operator can change it again.") % {"area": area.name},
            )
            return redirect(back)
    context = {"area": area, "cycle": cycle, "checklist": found, "form": form, "back": back}
    return render(request, "villages/checklist_reopen.html", context, status=400 if request.method == "POST" else 200)


# --- Roll-up and progress -------------------------------------------------------------------------------------


@login_required
def rollup(request: HttpRequest, region_code: str, cycle_pk: int) -> HttpResponse:
    """The kab/kota's computed percentages of indicators 25-26, who has not answered, and the reminder."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    cycle = selectors.cycle_get(pk=cycle_pk)
    context = {
        "region": region,
        "cycle": cycle,
        "rows": rollup_mod.rollup_for_kabkota(cycle=cycle, region=region),
        "has_demo": rollup_mod.has_demo_data(cycle=cycle, region=region),
        "progress": rollup_mod.progress_children(cycle=cycle, parent=region),
        "can_manage": can_edit_register(request.user, region.code),
    }
    return render(request, "villages/rollup.html", context)


@login_required
def rollup_detail(request: HttpRequest, region_code: str, cycle_pk: int, question_pk: int) -> HttpResponse:
    """The areas behind one computed percentage: every kecamatan or desa of the region with its answer."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    cycle = selectors.cycle_get(pk=cycle_pk)
    questions = {q.pk: q for q in rollup_mod.rollup_questions(cycle=cycle)}
    question = questions.get(question_pk)
    if question is None:
        raise Http404
    areas = rollup_mod.rollup_areas(cycle=cycle, region=region, question=question)
    yes = sum(1 for a in areas if a.value)
    context = {
        "region": region,
        "cycle": cycle,
        "question": question,
        "areas": areas,
        "yes": yes,
        "total": len(areas),
        "percent": rollup_mod.percentage(yes, len(areas)),
    }
    return render(request, "villages/rollup_detail.html", context)


@login_required
@require_POST
def remind(request: HttpRequest, region_code: str, cycle_pk: int) -> HttpResponse:
    """Notifies the operators of every area of the kab/kota that has not sent its checklist."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    cycle = selectors.cycle_get(pk=cycle_pk)
    check_edit_register(request.user, region)
    sent = services.checklist_remind(user=request.user, cycle=cycle, region=region)
    messages.success(
        request,
        ngettext("%(n)s operator was reminded.", "%(n)s operators were reminded.", sent) % {"n": sent},
    )
    return redirect("villages:rollup", region_code=region.code, cycle_pk=cycle.pk)


@login_required
def progress(request: HttpRequest, cycle_pk: int, code: str = "") -> HttpResponse:
    """Answered and verified kecamatan and desa per province (national), per kab/kota (a province) or per
    kecamatan (a kab/kota)."""
    page = selectors.progress_page_get(user=request.user, cycle_pk=cycle_pk, code=code)
    cycle, parent = page.cycle, page.parent

    def build() -> dict[str, object]:
        labels = {None: _("Province"), 1: _("Regency/city"), 2: _("District")}
        rows = rollup_mod.progress_children(cycle=cycle, parent=parent)
        label = labels[parent.level if parent else None]
        return {
            "cycle": cycle,
            "parent": parent,
            "rows": rows,
            "child_label": label,
            "progress_link": True,
            "tile_url": settings.LAYAK_MAP_TILE_URL,
        }

    # The page's body is the same for everyone who may see the place: one fragment per data stamp (decisions 0016,
    # 0033); no form in it.
    key = f"villages:progress:{page.stamp}:{settings.LAYAK_MAP_TILE_URL}"
    context = {"body": cached_fragment(key, "villages/_progress_body.html", build)}
    return render(request, "villages/progress.html", context)


@login_required
@gzip_page
def progress_points(request: HttpRequest, cycle_pk: int, code: str = "") -> JsonResponse:
    """The progress map's points: the children of the place with a point, or a kab/kota's desa with a point and
    their checklist state (see `rollup.progress_points`); scoped like the progress page."""
    page = selectors.progress_page_get(user=request.user, cycle_pk=cycle_pk, code=code)
    cycle, parent = page.cycle, page.parent
    rows = [] if parent is not None and parent.level == RegionLevel.KABKOTA else None
    if rows is None:
        rows = rollup_mod.progress_children(cycle=cycle, parent=parent)
    return JsonResponse(rollup_mod.progress_points(cycle=cycle, parent=parent, rows=rows))
