from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from layak.common.confirm import Confirmation, confirm_first

from . import team
from .choices import Role
from .forms import ApiTokenForm, TeamAccountForm
from .models import Agency, ApiToken
from .selectors import api_token_list_for_user, role_assignment_list_for_user
from .services import api_token_create, api_token_revoke


def _render_profile(request: HttpRequest, form: ApiTokenForm, new_key: str = "", status: int = 200) -> HttpResponse:
    context = {
        "assignments": role_assignment_list_for_user(request.user),
        "tokens": api_token_list_for_user(request.user),
        "token_form": form,
        "new_key": new_key,
    }
    return render(request, "accounts/profile.html", context, status=status)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own page: who they are, which roles they hold where, and their API tokens."""
    return _render_profile(request, ApiTokenForm())


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """Creates an API token and shows its key on this one response only (it is stored hashed)."""
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _render_profile(request, form, status=400)
    try:
        _token, raw_key = api_token_create(user=request.user, name=form.cleaned_data["name"])
    except ValidationError as exc:
        form.add_error(None, exc)
        return _render_profile(request, form, status=400)
    return _render_profile(request, ApiTokenForm(), new_key=raw_key)


def _revoke_question(request: HttpRequest, pk: int) -> Confirmation:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
    return Confirmation(
        title=_("Revoke the API token “%(name)s”?") % {"name": token.name},
        consequences=[_("Every script that uses it stops working at once.")],
        cannot_undo=_("A revoked token never works again; create a new one if you need it."),
        button=_("Yes, revoke the token"),
        danger=True,
    )


@login_required
@require_POST
@confirm_first(_revoke_question)
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revokes one of the user's own tokens; another person's token is a 404."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
    api_token_revoke(user=request.user, token=token)
    messages.success(request, _("The token “%(name)s” is revoked and no longer works.") % {"name": token.name})
    return redirect("accounts:profile")


# --- The region's team (OPD contributors of a kab/kota, verifiers of a province) --------------------------------


def _team_context(request: HttpRequest, region, form: TeamAccountForm) -> dict:
    return {"region": region, "form": form, "people": team.team_list(region), "team": team.team_of(region)}


def _team_form(request: HttpRequest, region) -> TeamAccountForm:
    opd = team.team_of(region).role == Role.OPD_CONTRIBUTOR
    agencies = Agency.objects.filter(region=region, is_active=True).order_by("name") if opd else None
    return TeamAccountForm(request.POST or None, agencies=agencies)


@login_required
def team_page(request: HttpRequest, region_code: str) -> HttpResponse:
    """The coordinator's page of the region's accounts: who is in the team, and a form to open an account."""
    region = team.team_region_get_for_user(user=request.user, code=region_code)
    form = _team_form(request, region)
    if request.method == "POST" and form.is_valid():
        try:
            person, link = team.team_account_create(by=request.user, region=region, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The account of %(name)s is open. Give them this link to choose a password (it works once): %(link)s")
                % {"name": person.display_name, "link": request.build_absolute_uri(link)},
            )
            return redirect("accounts:team", region_code=region.code)
    status = 400 if form.errors else 200
    return render(request, "accounts/team.html", _team_context(request, region, form), status=status)


def _deactivate_question(request: HttpRequest, pk: int) -> Confirmation:
    person, _region = team.team_member_get_for_user(user=request.user, pk=pk)
    return Confirmation(
        title=_("Deactivate the account of %(name)s?") % {"name": person.display_name},
        consequences=[
            _("They can no longer sign in."),
            _("What they entered stays, with their name in its history."),
        ],
        cannot_undo=_("You can reactivate the account later from the same page."),
        button=_("Yes, deactivate the account"),
        danger=True,
    )


@login_required
@require_POST
@confirm_first(_deactivate_question)
def team_member_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=False)


@login_required
@require_POST
def team_member_activate(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=True)


def _set_active(request: HttpRequest, pk: int, *, active: bool) -> HttpResponse:
    person, region = team.team_member_get_for_user(user=request.user, pk=pk)
    try:
        team.team_account_set_active(by=request.user, user=person, region=region, active=active)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        text = _("%(name)s can sign in again.") if active else _("%(name)s can no longer sign in.")
        messages.success(request, text % {"name": person.display_name})
    return redirect("accounts:team", region_code=region.code)
