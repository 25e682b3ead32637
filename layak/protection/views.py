"""Pages of the child-protection figures: the region's own page (exact), the monthly form, a period with its
versions and corrections, the import, the child population; and the public page (suppressed)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from layak.common.spreadsheets import csv_response, xlsx_response
from layak.regions.choices import RegionLevel
from layak.regions.models import Region
from layak.registers.access import kabkota_get_for_user
from layak.registers.views import form_page

from . import publication, selectors, services
from .categories import catalogue_for_year
from .forms import FiguresForm, FiguresImportForm, PopulationForm
from .imports import read_entries, template
from .services import FiguresRejected, can_edit_figures


def _year(request: HttpRequest, years: list[int] | None = None) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2010 <= int(raw) <= 2100:
        return int(raw)
    return years[0] if years else timezone.localdate().year


@login_required
def region_figures(request: HttpRequest, region_code: str) -> HttpResponse:
    """The region's figures as its own people see them (exact), the periods recorded, the jumps to check."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    version = publication.stamp()
    years = publication.years_with_figures(version)
    year = _year(request, years)
    context = {
        "region": region,
        "year": year,
        "years": sorted({*years, timezone.localdate().year}, reverse=True),
        "blocks": publication.figures_for(region.code, year, exact=True, version=version),
        "grid": selectors.period_grid(region=region, year=year),
        "flags": selectors.open_flags(region=region),
        "populations": selectors.populations(region=region),
        "trend": publication.trend(region.code, years[:6], exact=True, version=version),
        "can_edit": can_edit_figures(request.user, region),
        "public_url": reverse("protection:public_place", args=[region.code]),
        "has_demo": selectors.has_demo(region=region),
    }
    return render(request, "protection/region_figures.html", context)


def _topic_or_404(key: str, year: int):
    topic = catalogue_for_year(year).topic(key)
    if topic is None:
        raise Http404
    return topic


def _save_figures(request: HttpRequest, form: FiguresForm, run) -> Any:
    if not form.is_valid():
        return None
    try:
        return run(form.cleaned_data)
    except FiguresRejected as exc:
        for problem in exc.problems:
            form.add_error(None, problem)
    except ValidationError as exc:
        form.add_error(None, exc)
    return None


@login_required
def report_entry(request: HttpRequest, region_code: str) -> HttpResponse:
    """The monthly form: one count per category of a topic for a month (or a quarter)."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    if not can_edit_figures(request.user, region):
        raise PermissionDenied(_("Only the KLA coordinator of the region records its figures."))
    today = timezone.localdate()
    initial = {"year": today.year, "month": today.month}
    year = _year(request)
    topic = _topic_or_404(request.GET.get("topic", "violence"), year)
    form = FiguresForm(request.POST or None, initial={**initial, **request.GET.dict()}, topic=topic)

    def run(data: dict[str, Any]):
        return services.report_save(
            user=request.user, region=region, topic=topic.key, year=data["year"], month=data["month"],
            months=3 if data.get("quarter") else 1, values=form.values(),
        )  # fmt: skip

    if request.method == "POST" and (report := _save_figures(request, form, run)):
        publication.build_after_commit([(report.topic, report.year)])
        messages.success(request, _("The figures were recorded."))
        return redirect("protection:report_detail", pk=report.pk)
    topics = catalogue_for_year(year).topics
    return form_page(request, "protection/report_form.html", region=region, form=form, topic=topic, topics=topics)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One period: its figures, every version with its reason, flagged jumps, and the correction form."""
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    topic = _topic_or_404(report.topic, report.year)
    can_edit = can_edit_figures(request.user, report.region)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied(_("Only the KLA coordinator of the region corrects its figures."))
    initial = {**report.values, "year": report.year, "month": report.month, "quarter": report.months == 3}
    form = FiguresForm(request.POST or None, initial=initial, topic=topic, correcting=True) if can_edit else None

    def run(data: dict[str, Any]):
        return services.report_save(
            user=request.user, region=report.region, topic=topic.key, year=report.year, month=report.month,
            months=report.months, values=form.values(), reason=data["reason"],
        )  # fmt: skip

    if request.method == "POST" and form is not None and _save_figures(request, form, run):
        publication.build_after_commit([(report.topic, report.year)])
        messages.success(request, _("The correction was saved; the earlier figures are kept as a version."))
        return redirect("protection:report_detail", pk=report.pk)
    context = {
        "report": report,
        "region": report.region,
        "topic": topic,
        "rows": [(c, report.values.get(c.key, 0)) for c in topic.cells],
        "versions": selectors.report_versions(report=report),
        "flags": selectors.labelled(list(report.flags.select_related("report").order_by("cell"))),
        "form": form,
    }
    return render(request, "protection/report_detail.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def flag_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator confirms that a flagged jump is right."""
    flag = selectors.flag_get_for_user(user=request.user, pk=pk)
    services.flag_confirm(user=request.user, flag=flag)
    messages.success(request, _("The jump was confirmed as right."))
    return redirect(request.POST.get("next") or reverse("protection:report_detail", args=[flag.report_id]))


@login_required
def population_edit(request: HttpRequest, region_code: str) -> HttpResponse:
    """The coordinator records the number of children of a year, with its source (for the rates)."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    if not can_edit_figures(request.user, region):
        raise PermissionDenied(_("Only the KLA coordinator of the region records its child population."))
    form = PopulationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.population_save(user=request.user, region=region, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The child population was saved."))
            return redirect("protection:region_figures", region_code=region.code)
    return form_page(request, "protection/population_form.html", region=region, form=form)


@login_required
def figures_import(request: HttpRequest, region_code: str) -> HttpResponse:
    """The coordinator imports a workbook or CSV of figures; one bad row rejects the whole file."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    if not can_edit_figures(request.user, region):
        raise PermissionDenied(_("Only the KLA coordinator of the region imports its figures."))
    form = FiguresImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            entries = read_entries(form.cleaned_data["upload"])
            counts = services.reports_save(
                user=request.user, entries=entries, reason=form.cleaned_data["reason"], source="import"
            )
        except FiguresRejected as exc:
            problems = exc.problems
        except ValidationError as exc:
            problems = exc.messages
        else:
            publication.build_after_commit([(e.topic, e.year) for e in entries])
            messages.success(
                request,
                ngettext(
                    "%(created)s period recorded, %(corrected)s corrected.",
                    "%(created)s periods recorded, %(corrected)s corrected.",
                    counts["created"],
                )
                % counts,
            )
            return redirect("protection:region_figures", region_code=region.code)
    context = {"region": region, "form": form, "problems": problems[:200], "more": max(0, len(problems) - 200)}
    return form_page(request, "protection/figures_import.html", **context)


@login_required
def figures_template(request: HttpRequest, region_code: str) -> HttpResponse:
    """The import workbook for the region and a year: one sheet per topic, the twelve months to fill in."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    year = _year(request)
    return xlsx_response(template(region.code, year), f"perlindungan-anak-{region.code}-{year}.xlsx")


# --- Public (no login): suppressed -----------------------------------------------------------------------


def _place(code: str | None) -> tuple[str, Region | None]:
    if not code or code == publication.NATION:
        return publication.NATION, None
    region = Region.objects.filter(code=code, level__in=[RegionLevel.PROVINCE, RegionLevel.KABKOTA]).first()
    if region is None:
        raise Http404(_("There is no province or kab/kota with the code %(code)s.") % {"code": code})
    return region.code, region


def public_csv_rows(place: str, year: int, version: str) -> list[list[Any]]:
    """The public figures of a place and year as CSV rows (the same cells as the page: hidden ones as marks)."""
    rows: list[list[Any]] = [[_("Topic"), _("Figure"), _("Count"), _("Per 10,000 children"), _("Year"), _("Place")]]
    for block in publication.figures_for(place, year, exact=False, version=version):
        for f in block.figures:
            rows.append([block.topic.label, f.label, f.display, f.rate if f.rate is not None else "", year, place])
        for measure, quarters in block.quarters:
            for f in quarters:
                rows.append([block.topic.label, f"{measure} {f.label}", f.display, "", year, place])
    return rows


CSRF_PLACEHOLDER = "__layak_csrf_token__"


def _public_page(request: HttpRequest, place: str, region: Region | None, year: int, years: list[int], version: str):
    children = Region.objects.filter(parent_id=None if region is None else region.code).order_by("code")
    if region is not None and region.level == RegionLevel.KABKOTA:
        children = Region.objects.none()
    context = {
        "place": place,
        "region": region,
        "year": year,
        "years": years,
        "blocks": publication.figures_for(place, year, exact=False, version=version),
        "trend": publication.trend(place, years[:6], exact=False, version=version),
        "children": list(children.only("code", "name")),
        "threshold": publication.threshold(),
        "has_demo": publication.has_demo(),
    }
    body = render_to_string("protection/_public_body.html", context, request=None)
    # The page as every anonymous visitor gets it, with a placeholder where each visitor's own CSRF token goes.
    return render_to_string(
        "protection/public_figures.html",
        {"body": body, "region": region, "year": year, "csrf_token": CSRF_PLACEHOLDER},
        request=request,
    )


def public_figures(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """The public page: figures of the nation, a province or a kab/kota, small counts shown as "<5" and the
    cells that would give them away hidden. The whole page is cached by the data stamp, language, place and
    year (the same for every anonymous visitor, who gets their own CSRF token in it); signed-in people get the
    same figures in a page rendered for them."""
    version = publication.recent_stamp()
    years = publication.years_with_figures(version)
    year = _year(request, years)
    if request.GET.get("format") == "csv":
        place, _region = _place(code)
        return csv_response(f"perlindungan-anak-{place}-{year}.csv", public_csv_rows(place, year, version))
    anonymous = not request.user.is_authenticated and not len(messages.get_messages(request))
    key = f"protection:publicpage:{version}:{get_language()}:{code or publication.NATION}:{year}"
    page = cache.get(key) if anonymous else None
    if page is None:
        place, region = _place(code)
        page = _public_page(request, place, region, year, years, version)
        if anonymous:
            cache.set(key, page, 3600)
    return HttpResponse(page.replace(CSRF_PLACEHOLDER, get_token(request)))
