"""Pages of the facility register: thin wrappers around the selectors and services (through the register kit)."""

from __future__ import annotations

import itertools
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from layak.common.confirm import Confirmation, ask_confirmation, confirm_first
from layak.common.generations import cached_fragment
from layak.common.spreadsheets import csv_response, xlsx_response
from layak.regions.choices import RegionLevel
from layak.regions.models import Region
from layak.registers.access import can_edit_register, check_edit_register, kabkota_get_for_user
from layak.registers.forms import ImportForm
from layak.registers.imports import register_importer
from layak.registers.views import form_view, import_view, post_on_page

from . import imports, selectors, services
from .choices import IRREVERSIBLE, TRANSITIONS, Status
from .forms import FacilityForm, GapForm, MemberForm, RenewForm, StepForm, TotalForm, ZoneForm, facility_initial
from .kinds import catalogue
from .models import Facility


def _summary(counts: dict[str, dict[str, int]]) -> list[tuple[Any, dict[str, int]]]:
    rows = []
    for kind in catalogue().kinds.values():
        c = dict(counts.get(kind.code, {}))
        c["ended"] = c.get(Status.EXPIRED, 0) + c.get(Status.REVOKED, 0)
        rows.append((kind, c))
    return rows


def _region_page(
    request: HttpRequest, region: Region, *, import_form=None, import_errors=None, status=200
) -> HttpResponse:
    kind, state = request.GET.get("kind", ""), request.GET.get("status", "")
    kind = kind if kind in catalogue().kinds else ""
    state = state if state in Status.values else ""
    page = Paginator(selectors.facility_list_for_region(region=region, kind=kind, status=state), 100).get_page(
        request.GET.get("page")
    )
    facilities = list(page.object_list)
    today = timezone.localdate()
    context = {
        "region": region,
        "facilities": facilities,
        "page": page,
        "expiring": {f.pk for f in facilities if selectors.expiring(f, today)},
        "summary": _summary(selectors.status_counts(region=region)),
        "kinds": list(catalogue().kinds.values()),
        "statuses": Status.choices,
        "kind": kind,
        "status": state,
        "can_edit": can_edit_register(request.user, region.code),
        "import_form": import_form or ImportForm(),
        "import_errors": import_errors or [],
    }
    return render(request, "facilities/region_facilities.html", context, status=status)


@login_required
def region_facilities(request: HttpRequest, region_code: str) -> HttpResponse:
    """The kab/kota's child-friendly facilities by kind and status, with the import and the export."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    return _region_page(request, region)


@login_required
def facility_create(request: HttpRequest, region_code: str) -> HttpResponse:
    """Registers one facility (the region's coordinator)."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    check_edit_register(request.user, region)
    form = FacilityForm(request.POST or None, region=region, initial={"kind": request.GET.get("kind", "")})
    return form_view(
        request,
        form,
        lambda d: services.facility_create(user=request.user, region=region, **d),
        template="facilities/facility_form.html",
        success=lambda f: _("%(name)s was registered.") % {"name": f.name},
        region=region,
        kinds=catalogue().kinds.values(),
        tile_url=_tile_url(),
    )


@login_required
@require_POST
def facility_import(request: HttpRequest, region_code: str) -> HttpResponse:
    """Imports facilities from the Excel template, all or nothing; every row problem is listed."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    check_edit_register(request.user, region)
    return import_view(
        request,
        lambda upload: imports.facility_import(user=request.user, region=region, upload=upload),
        success=lambda n: ngettext("%(n)s facility was imported.", "%(n)s facilities were imported.", n) % {"n": n},
        redirect_to=reverse("facilities:region_facilities", args=[region.code]),
        page=lambda form, errors: _region_page(request, region, import_form=form, import_errors=errors),
        job=(FACILITIES_IMPORTER, region.code),
        subject=region.name,
    )


FACILITIES_IMPORTER = "facilities"


def _facility_import_as(user, ref: str, upload) -> list:
    """The facilities import run by a worker (a large file), as the person who uploaded it."""
    region = kabkota_get_for_user(user=user, code=ref)
    check_edit_register(user, region)
    return imports.facility_import(user=user, region=region, upload=upload)


register_importer(FACILITIES_IMPORTER, _facility_import_as)


@login_required
def import_template(request: HttpRequest, region_code: str) -> HttpResponse:
    """The Excel template with the kab/kota's desa/kelurahan codes."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    return xlsx_response(imports.template_bytes(region), f"fasilitas-{region.code}.xlsx")


@login_required
def facility_export(request: HttpRequest, region_code: str) -> HttpResponse:
    """The register as CSV, in the template's columns."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    rows = imports.export_rows(selectors.facility_list_for_region(region=region))
    return csv_response(f"fasilitas-{region.code}.csv", rows)


def _detail(
    request: HttpRequest,
    facility: Facility,
    forms: dict[str, StepForm] | None = None,
    status=200,
    renew_form: RenewForm | None = None,
) -> HttpResponse:
    can_edit = can_edit_register(request.user, facility.region_id)
    steps = forms or {}
    if can_edit and facility.certifiable:
        for to in TRANSITIONS.get(facility.status, ()):
            steps.setdefault(to, StepForm(to=to))
    early = services.renewal_is_early(facility)
    if renew_form is None and can_edit and facility.certifiable and facility.status == Status.CERTIFIED:
        renew_form = RenewForm(early=early)
    history = list(selectors.step_list(facility=facility))
    context = {
        "facility": facility,
        "region": facility.region,
        "kind": catalogue().kinds.get(facility.kind),
        "steps": history,
        "renewals": {
            s.pk for before, s in itertools.pairwise(history) if s.status == before.status == Status.CERTIFIED
        },
        "renew_form": renew_form,
        "renew_early": early,
        "zones": facility.zones.order_by("name"),
        "step_forms": [(to, Status(to).label, form) for to, form in steps.items()],
        "can_edit": can_edit,
        "expiring": selectors.expiring(facility),
    }
    return render(request, "facilities/facility_detail.html", context, status=status)


@login_required
def facility_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A facility, its certification steps with their evidence, and the next steps it can take."""
    facility = selectors.facility_get_for_user(user=request.user, pk=pk)
    return _detail(request, facility)


@login_required
def facility_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Changes a facility's name, desa, point, NPSN or agency."""
    facility = selectors.facility_get_for_user(user=request.user, pk=pk)
    check_edit_register(request.user, facility.region)
    form = FacilityForm(request.POST or None, region=facility.region, edit=True, initial=facility_initial(facility))
    return form_view(
        request,
        form,
        lambda d: services.facility_update(user=request.user, facility=facility, **d),
        template="facilities/facility_form.html",
        success=_("The facility was updated."),
        region=facility.region,
        facility=facility,
        tile_url=_tile_url(),
    )


@login_required
@require_POST
def facility_step(request: HttpRequest, pk: int) -> HttpResponse:
    """Takes one certification step; expiry and revocation are asked first (they end the certificate)."""
    facility = selectors.facility_get_for_user(user=request.user, pk=pk)
    check_edit_register(request.user, facility.region)
    to = request.POST.get("step", "")
    if to not in Status.values:
        raise Http404
    form = StepForm(request.POST, request.FILES, to=to)
    if form.is_valid() and to in IRREVERSIBLE and not services.transition_problems(facility, to):
        asked = ask_confirmation(
            request,
            Confirmation(
                title=_("Mark “%(name)s” as %(status)s?")
                % {"name": facility.name, "status": str(Status(to).label).lower()},
                consequences=[
                    _("Its certificate (SK %(number)s) stops counting for the instrument from %(date)s.")
                    % {"number": facility.decree_number, "date": form.cleaned_data["date"].strftime("%d/%m/%Y")},
                    _("To count it again it must be proposed, assessed and certified anew."),
                ],
                cannot_undo=_("The certificate cannot be restored."),
                button=_("Yes, mark it as %(status)s") % {"status": str(Status(to).label).lower()},
                danger=True,
                cancel_url=facility.get_absolute_url(),
            ),
        )
        if asked is not None:
            return asked

    def run(data: dict[str, Any]) -> Facility:
        return services.facility_transition(user=request.user, facility=facility, to=to, **data)

    return post_on_page(
        request,
        form,
        run,
        success=lambda f: (
            _("“%(name)s” is now %(status)s.") % {"name": f.name, "status": f.get_status_display().lower()}
        ),
        redirect_to=facility.get_absolute_url(),
        page=lambda bad: _detail(request, facility, {to: bad}),
    )


@login_required
@require_POST
def facility_renew(request: HttpRequest, pk: int) -> HttpResponse:
    """Renews a certified facility's certificate in one step ("Perpanjang sertifikat"): the new decree with its
    file; the old certificate stays in the history. Replacing one that is not yet expiring is ticked on the form
    (a confirmation page could not carry the file)."""
    facility = selectors.facility_get_for_user(user=request.user, pk=pk)
    check_edit_register(request.user, facility.region)
    form = RenewForm(request.POST, request.FILES, early=services.renewal_is_early(facility))
    return post_on_page(
        request,
        form,
        lambda d: services.facility_renew(user=request.user, facility=facility, **d),
        success=lambda f: (
            _("The certificate of “%(name)s” was renewed until %(date)s.")
            % {"name": f.name, "date": f.valid_until.strftime("%d/%m/%Y")}
        ),
        redirect_to=facility.get_absolute_url(),
        page=lambda bad: _detail(request, facility, renew_form=bad),
    )


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 2000), timezone.localdate().year + 1)


def _counts_page(request: HttpRequest, region: Region, year: int, total_form=None, status=200) -> HttpResponse:
    context = {
        "region": region,
        "year": year,
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
        "shares": selectors.certified_shares(region=region, year=year),
        "totals": selectors.totals_for_region(region=region),
        "can_edit": can_edit_register(request.user, region.code),
        "total_form": total_form or TotalForm(initial={"year": year}),
    }
    return render(request, "facilities/region_counts.html", context, status=status)


@login_required
def region_counts(request: HttpRequest, region_code: str) -> HttpResponse:
    """Certified facilities per kind and school level against the totals: what the instrument asks (19, 15...)."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    return _counts_page(request, region, _year(request))


@login_required
@require_POST
def total_save(request: HttpRequest, region_code: str) -> HttpResponse:
    """Records the total of schools of a level (or of Puskesmas) for a year, with its source."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    check_edit_register(request.user, region)
    form = TotalForm(request.POST)
    url = reverse("facilities:region_counts", args=[region.code])
    return post_on_page(
        request,
        form,
        lambda d: services.total_save(user=request.user, region=region, **d),
        success=_("The total was recorded."),
        redirect_to=lambda t: f"{url}?year={t.year}",
        page=lambda bad: _counts_page(request, region, _year(request), bad),
    )


@login_required
def region_coverage(request: HttpRequest, region_code: str) -> HttpResponse:
    """Which kinds each kecamatan and desa/kelurahan has, and the service gaps (the kinds a person picks)."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    default_desa, default_kecamatan = selectors.default_gap_kinds()
    picked = "desa_kinds" in request.GET or "kecamatan_kinds" in request.GET or "picked" in request.GET
    form = GapForm(
        request.GET if picked else None, initial={"desa_kinds": default_desa, "kecamatan_kinds": default_kecamatan}
    )
    desa_kinds, kecamatan_kinds = default_desa, default_kecamatan
    if picked and form.is_valid():
        desa_kinds, kecamatan_kinds = form.cleaned_data["desa_kinds"], form.cleaned_data["kecamatan_kinds"]
    coverage = selectors.coverage_for_region(region=region, desa_kinds=desa_kinds, kecamatan_kinds=kecamatan_kinds)
    context = {"region": region, "coverage": coverage, "form": form, "kinds": list(catalogue().kinds.values())}
    return render(request, "facilities/region_coverage.html", context)


def _zones_page(request: HttpRequest, region: Region, zone_form=None, status=200) -> HttpResponse:
    context = {
        "region": region,
        "reports": selectors.zone_reports_for_region(region=region),
        "suggestions": selectors.zone_suggestions(region=region),
        "required": selectors.default_zone_kinds(),
        "can_edit": can_edit_register(request.user, region.code),
        "zone_form": zone_form or ZoneForm(initial={"required_kinds": selectors.default_zone_kinds()}),
    }
    return render(request, "facilities/region_zones.html", context, status=status)


@login_required
def region_zones(request: HttpRequest, region_code: str) -> HttpResponse:
    """The kab/kota's Kaltara zones with what each lacks, and candidate zones where facilities cluster."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    return _zones_page(request, region)


@login_required
@require_POST
def zone_create(request: HttpRequest, region_code: str) -> HttpResponse:
    """Creates a zone, empty or from a suggestion (its facilities)."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    check_edit_register(request.user, region)

    def run(data: dict[str, Any]):
        ids = data.pop("members")
        members = list(Facility.objects.filter(pk__in=ids, region=region))
        if len(members) != len(set(ids)):
            raise ValidationError(_("A zone holds facilities of its own regency/city only."))
        return services.zone_create(user=request.user, region=region, members=members, **data)

    return post_on_page(
        request,
        ZoneForm(request.POST),
        run,
        success=lambda z: _("The zone “%(name)s” was created.") % {"name": z.name},
        redirect_to=lambda z: z,
        page=lambda bad: _zones_page(request, region, bad),
    )


def _zone_page(request: HttpRequest, zone, member_form=None, status=200) -> HttpResponse:
    can_edit = can_edit_register(request.user, zone.region_id)
    context = {
        "zone": zone,
        "region": zone.region,
        "report": selectors.zone_report(zone=zone),
        "can_edit": can_edit,
        "member_form": member_form or (MemberForm(zone=zone) if can_edit else None),
    }
    return render(request, "facilities/zone_detail.html", context, status=status)


@login_required
def zone_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A zone: its facilities, the required kinds it lacks, members beyond walking distance."""
    zone = selectors.zone_get_for_user(user=request.user, pk=pk)
    return _zone_page(request, zone)


@login_required
@require_POST
def zone_member(request: HttpRequest, pk: int) -> HttpResponse:
    """Adds a facility to the zone (or takes one out with remove=<id>)."""
    zone = selectors.zone_get_for_user(user=request.user, pk=pk)
    check_edit_register(request.user, zone.region)
    remove = request.POST.get("remove", "")
    if remove:
        facility = Facility.objects.filter(pk=int(remove) if remove.isdigit() else 0, zones=zone).first()
        if facility is None:
            raise Http404
        services.zone_set_member(user=request.user, zone=zone, facility=facility, member=False)
        messages.success(request, _("%(name)s was taken out of the zone.") % {"name": facility.name})
        return redirect(zone)
    form = MemberForm(request.POST, zone=zone)
    return post_on_page(
        request,
        form,
        lambda d: services.zone_set_member(user=request.user, zone=zone, facility=d["facility"], member=True),
        success=_("The facility was added to the zone."),
        redirect_to=zone.get_absolute_url(),
        page=lambda bad: _zone_page(request, zone, bad),
    )


def _zone_delete_question(request: HttpRequest, pk: int) -> Confirmation:
    zone = selectors.zone_get_for_user(user=request.user, pk=pk)
    return Confirmation(
        title=_("Delete the zone “%(name)s”?") % {"name": zone.name},
        consequences=[_("Its facilities stay in the register; only the zone and its list of members go.")],
        button=_("Yes, delete the zone"),
        danger=True,
        cancel_url=zone.get_absolute_url(),
    )


@login_required
@require_POST
@confirm_first(_zone_delete_question)
def zone_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Deletes a zone after the confirmation page."""
    zone = selectors.zone_get_for_user(user=request.user, pk=pk)
    region_code = zone.region_id
    services.zone_delete(user=request.user, zone=zone)
    messages.success(request, _("The zone was deleted."))
    return redirect("facilities:region_zones", region_code)


@login_required
def region_map(request: HttpRequest, region_code: str) -> HttpResponse:
    """Facilities by kind and status on a map (drawn from map.json), with the gap desa listed beside it, so the page
    stays useful without tiles; its body (nothing of the visitor in it) is cached by the map's version."""
    region, version = selectors.map_region_get_for_user(user=request.user, code=region_code)
    tile_url = _tile_url()

    def build() -> dict[str, Any]:
        summary = selectors.map_summary(region=region, version=version)
        return {"region": region, "summary": summary, "tile_url": tile_url}

    key = f"facilities:map-page:{region.code}:{version}:{tile_url}"
    crumbs_key = f"facilities:map-crumbs:{region.code}:{version}"
    context = {
        "region": region,
        "crumbs": cached_fragment(crumbs_key, "facilities/_region_map_crumbs.html", lambda: {"region": region}),
        "body": cached_fragment(key, "facilities/_region_map_body.html", build),
    }
    return render(request, "facilities/region_map.html", context)


def _tile_url() -> str:
    return settings.LAYAK_MAP_TILE_URL


@login_required
def map_data(request: HttpRequest, region_code: str) -> HttpResponse:
    """The map's data (see `selectors.map_body`): compact JSON, gzipped when the browser accepts it, built once per
    data version; the version is the ETag, so a browser that has it gets a 304 with no query."""
    region, version = selectors.map_region_get_for_user(user=request.user, code=region_code)
    etag = f'"{version}-{get_language()}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
        body = selectors.map_body(region=region, version=version, gzipped=gzipped)
        response = HttpResponse(body, content_type="application/json")
        if gzipped:
            response["Content-Encoding"] = "gzip"
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ["Accept-Encoding", "Cookie"])
    return response


def public_facilities(request: HttpRequest, region_code: str) -> HttpResponse:
    """Certified child-friendly facilities and zones of a kab/kota, for everyone (institutions only, no persons)."""
    region = Region.objects.filter(code=region_code, level=RegionLevel.KABKOTA).first()
    if region is None:
        raise Http404
    facilities = selectors.public_facilities(region=region)
    context = {
        "region": region,
        "facilities": facilities,
        "zones": selectors.zone_reports_for_region(region=region),
        "has_demo": any(f.is_demo for f in facilities),
    }
    return render(request, "facilities/public_facilities.html", context)
