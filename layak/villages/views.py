"""Kelana/Dekela pages: the kab/kota's kecamatan and desa, provisioning operators, joining with a code."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from layak.common import spreadsheets
from layak.common.spreadsheets import ImportRejected
from layak.regions.choices import RegionLevel
from layak.registers.access import can_edit_register, check_edit_register, kabkota_get_for_user

from . import provisioning, selectors, services
from .forms import JoinForm, ProvisionForm


@login_required
def region_villages(request: HttpRequest, region_code: str) -> HttpResponse:
    """The kab/kota's kecamatan (with their desa), operators and invitations."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    context = {
        "region": region,
        "kecamatan": selectors.kecamatan_list_for_kabkota(region=region),
        "invitations": selectors.invitation_summary_for_kabkota(region=region),
        "can_manage": can_edit_register(request.user, region.code),
    }
    return render(request, "villages/region_villages.html", context)


@login_required
def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One kecamatan (with its desa/kelurahan) or one desa/kelurahan, for whoever may see it."""
    area = selectors.area_get_for_user(user=request.user, code=code)
    desa = selectors.desa_list_for_kecamatan(region=area) if area.level == RegionLevel.KECAMATAN else []
    return render(request, "villages/area_detail.html", {"area": area, "desa": desa})


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
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
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
