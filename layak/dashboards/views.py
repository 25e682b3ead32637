"""Dashboard pages: national (analysts), province, region, and the public portal (no login).

Each page is rendered as a few fragments, once per version (generation counters, decision 0031), language,
audience and query (cycle, sort), and kept in this process's memory in front of the shared cache; a warm view
costs one cache read of the generations and no query beyond signing in. Fragments are kept as UTF-8 and put into
the rendered page as bytes (`layak.common.splice`).
"""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from layak.accounts.selectors import user_is_national_admin
from layak.common.net import client_ip
from layak.common.pagecache import anonymous_page
from layak.common.splice import encoded, render_spliced
from layak.protection.publication import PROTECTION_GENERATION
from layak.regions.choices import RegionLevel
from layak.regions.models import Region
from layak.regions.selectors import REGIONS_GENERATION

from . import contexts, pages
from . import selectors as s
from .cache import (
    TARGETS_GENERATION,
    cached_page_part,
    dashboards_version,
    dashboards_version_recent,
    region_generation_name,
    version_and,
)
from .exports import export_response, table_sorted
from .forms import ProvinceTargetForm
from .models import ProvinceTarget
from .services import can_set_province_target, export_record, province_target_set

RESULTS_PER_PAGE = 50


def _query_key(request: HttpRequest) -> str:
    kept = sorted((k, v) for k, v in request.GET.items() if k == "cycle" or k.startswith("sort"))
    return "&".join(f"{k}={v}" for k, v in kept)


def _fragment(version: str, name: str, template: str, build, *parts) -> bytes:
    """A part of the page rendered with no request (nothing of the visitor), as UTF-8 for `render_spliced`, cached
    under the version, language and `parts` (what the visitor may see and asked for)."""
    return cached_page_part(
        version, f"page-{name}", lambda: encoded(render_to_string(template, build())), get_language(), *parts
    )


def _versions(request: HttpRequest, level: int, code: str, page: str, *names: str) -> tuple[str, dict[str, int]]:
    """The version and the generations of `names` and of the page's panels, in one cache read for a region this
    process knows; for another, the region is first looked up, so nothing is read or made under a code that is
    not one (404)."""
    if not s.place_known(code, level):
        _version, generations = version_and(request)
        get = s.province_get if level == RegionLevel.PROVINCE else s.kabkota_get
        get(code, generations[REGIONS_GENERATION])
    return version_and(request, *names, page=page, code=code)


def _published(cycles: list[s.CycleSummary]) -> str:
    """The ids of the cycles published by now: a scheduled publication changes what a page shows, not the data."""
    return ".".join(str(c.id) for c in cycles if c.is_published)


def national_dashboard(request: HttpRequest) -> HttpResponse:
    """The nation in one cycle: predicates, map, distributions, ranking, Provila condition and cluster trends.

    Open to everyone: anonymous visitors and region users see published cycles, national staff every cycle.
    """
    version = dashboards_version()
    national = s.user_has_national_scope(request.user)
    cycles = s.cycles_for_user(version, request.user)
    cycle = s.pick_cycle(cycles, request.GET.get("cycle"))
    link = "dashboards:region"
    if "export" in request.GET:
        tables = pages.national_tables(version, cycles, cycle, request.GET, link)
        return _exported(request, export_response(tables, request.GET, "kla-national")) or redirect(
            "dashboards:national"
        )
    published, query = _published(cycles), _query_key(request)
    admin = user_is_national_admin(request.user)
    head = _fragment(
        version,
        "national-head",
        "dashboards/_national_head.html",
        lambda: {"cycles": cycles, "cycle": cycle, "admin": admin},
        national,
        admin,
        published,
        cycle.id if cycle else "-",
    )
    body = _fragment(
        version,
        "national",
        "dashboards/_national_body.html",
        lambda: contexts.national_context(version, cycles, cycle, request.GET, link),
        national,
        published,
        query,
    )
    context = {"cycles": cycles, "cycle": cycle}
    return render_spliced(request, "dashboards/national.html", context, {"head": head, "body": body})


def province_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    """A province: coverage and average score side by side, its kab/kota with predicate, score and change, its
    target and weakest indicators. Open to everyone for published cycles; its own people also see unpublished."""
    version, generations = _versions(request, RegionLevel.PROVINCE, code, "dashboards:province", TARGETS_GENERATION)
    province = s.province_get(code, generations[REGIONS_GENERATION])
    covers = s.user_covers(request.user, province.code)
    cycles = s.cycles_for_region(version, request.user, province.code)
    cycle = s.pick_cycle(cycles, request.GET.get("cycle"))
    if "export" in request.GET:
        view = s.province_view(version, province, cycles, cycle)
        info = s.framework_info(version, cycle.framework_id) if cycle else None
        tables = pages.province_tables(view, info, request.GET)
        return _exported(request, export_response(tables, request.GET, f"kla-{province.code}")) or redirect(
            request.path
        )
    published = _published(cycles)
    can_set = request.user.is_authenticated and can_set_province_target(request.user, province)
    context = {"province": province, "cycles": cycles, "cycle": cycle, "can_set_target": can_set}
    head = _fragment(
        version,
        "province-head",
        "dashboards/_province_head.html",
        lambda: context,
        province.code,
        covers,
        can_set,
        published,
        cycle.id if cycle else "-",
    )
    body = _fragment(
        version,
        "province",
        "dashboards/_province_body.html",
        lambda: contexts.province_context(
            version, province, cycles, cycle, ProvinceTarget.objects.filter(province=province).first(), request.GET
        ),
        province.code,
        generations[TARGETS_GENERATION],
        covers,
        published,
        _query_key(request),
    )
    context["dashboards_version"] = version  # for the Provila panel's fragment key
    return render_spliced(request, "dashboards/province.html", context, {"head": head, "body": body})


@login_required
def province_target_edit(request: HttpRequest, code: str) -> HttpResponse:
    """The province's coordinator sets the target ("every kab/kota at Utama by 2026")."""
    province = s.province_get(code)
    if not can_set_province_target(request.user, province):
        raise PermissionDenied(_("Only the province's coordinator or a national admin can set its target."))
    current = ProvinceTarget.objects.filter(province=province).first()
    form = ProvinceTargetForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            province_target_set(user=request.user, province=province, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The province's target is saved."))
            return redirect("dashboards:province", code=province.code)
    return render(request, "dashboards/province_target_form.html", {"province": province, "form": form})


def region_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    """A kab/kota: predicate history, cluster profile, strongest and weakest indicators, evidence completeness.

    Open to everyone for published results; the region's own people, its province and national staff also see
    unpublished results, open revision requests and the what-if.
    """
    live_names = (region_generation_name(code), PROTECTION_GENERATION)
    version, generations = _versions(request, RegionLevel.KABKOTA, code, "dashboards:region", *live_names)
    region = s.kabkota_get(code, generations[REGIONS_GENERATION])
    covers = s.user_covers(request.user, region.code)
    if "export" in request.GET:
        context = contexts.region_context(version, region, request.GET, private=covers)
        return _exported(request, export_response(context["tables"], request.GET, f"kla-{region.code}")) or redirect(
            request.path
        )
    # What the page shows of the region's ongoing work (evidence count, revision requests) and, for those who
    # cover it, of its child-protection figures, is cached under their generations too.
    live = (generations[region_generation_name(code)], generations[PROTECTION_GENERATION] if covers else "-")
    context, fragments = contexts.region_page_context(version, region, request.GET, private=covers, live=live)
    return render_spliced(request, "dashboards/region.html", context, fragments)


def _exported(request: HttpRequest, response: HttpResponse | None) -> HttpResponse | None:
    """The export's file, with the download audited (who, or an anonymous visitor's address, and which table)."""
    if response is not None:
        code = (request.resolver_match.kwargs.get("code", "") if request.resolver_match else "") or ""
        export_record(
            user=request.user,
            table=request.GET.get("export", ""),
            filename=response["Content-Disposition"].split("filename=")[-1].strip('"'),
            region_code=code,
            ip=client_ip(request),
        )
    return response


# --- Public portal (no login) --------------------------------------------------------------------------------


def _published_stamp(request: HttpRequest) -> str:
    """The results version and the cycles published by now (a scheduled publication changes no data)."""
    version = dashboards_version_recent()
    return f"{version}-{'.'.join(str(c.id) for c in s.cycles_published(version))}"


@anonymous_page(_published_stamp)
def public_index(request: HttpRequest) -> HttpResponse:
    """Published results per kab/kota (filter by province or name), past awards as published, the framework."""
    version = dashboards_version()
    cycles = s.cycles_published(version)
    cycle = s.pick_cycle(cycles, request.GET.get("cycle"))
    context = contexts.public_index_context(version, cycles, cycle, request.GET)
    if "export" in request.GET:
        return _exported(request, export_response(context["tables"], request.GET, "kla-published")) or redirect(
            request.path
        )
    results = context["results_table"]
    if results is not None:
        results = table_sorted(results, request.GET)
        context["page"] = Paginator(results.rows, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        context["results_table"] = replace(results, rows=list(context["page"].object_list))
    return render(request, "dashboards/public_index.html", context)


def public_region(request: HttpRequest, code: str) -> HttpResponse:
    """One kab/kota's published results, its past awards as published, and the titles of its evidence."""
    region = Region.objects.filter(code=code, level=RegionLevel.KABKOTA).select_related("parent").first()
    if region is None:
        raise Http404(_("There is no kab/kota with the code %(code)s.") % {"code": code})
    context = contexts.public_region_context(dashboards_version(), region, request.GET)
    if "export" in request.GET:
        return _exported(request, export_response(context["tables"], request.GET, f"kla-{region.code}")) or redirect(
            request.path
        )
    return render(request, "dashboards/public_region.html", context)


def public_kla(request: HttpRequest) -> HttpResponse:
    """ "What is KLA?" in words a child can read, and how the child's own kab/kota is doing."""
    context = contexts.kla_for_children_context(dashboards_version(), request.GET)
    return render(request, "dashboards/public_kla.html", context)
