import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice

from layak.common.confirm import Confirmation, confirm_first
from layak.common.errors import too_many_attempts
from layak.common.net import client_ip

from . import security, team
from .choices import Role
from .forms import ApiTokenForm, LoginForm, TeamAccountForm, TwoFactorCodeForm
from .models import Agency, ApiToken
from .selectors import api_token_list_for_user, role_assignment_list_for_user, user_is_national_admin
from .services import api_token_create, api_token_revoke


def _render_profile(request: HttpRequest, form: ApiTokenForm, new_key: str = "", status: int = 200) -> HttpResponse:
    context = {
        "assignments": role_assignment_list_for_user(request.user),
        "tokens": api_token_list_for_user(request.user),
        "token_form": form,
        "new_key": new_key,
        "has_two_factor": security.two_factor_enabled(request.user),
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
        _token, raw_key = api_token_create(
            user=request.user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            days=form.cleaned_data["days"],
        )
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
    agencies = Agency.objects.filter(region=region).order_by("name") if opd else None
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


# --- Sign-in, two-step sign-in, lockouts --------------------------------------------------------------------------


def _next(request: HttpRequest, fallback: str) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return fallback


class LoginView(auth_views.LoginView):
    """The password step: every success and failure is audited; a session that owes two-step sign-in goes on
    to the code (or, for a role that needs it, to turning it on)."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        security.login_succeeded_record(user=form.get_user(), ip=client_ip(self.request))
        owed = self.request.session.get(security.SESSION_TWO_FACTOR)
        if owed:
            name = "accounts:two_factor_verify" if owed == "device" else "accounts:two_factor_setup"
            return redirect(f"{reverse(name)}?next={response.url}")
        return response

    def form_invalid(self, form):
        username = self.request.POST.get("username", "")
        if username:
            security.login_failed_record(username=username, ip=client_ip(self.request))
        return super().form_invalid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        security.password_changed_record(user=self.request.user, how="changed")
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        security.password_changed_record(user=form.user, how="reset")
        return response


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out username (429), in words."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return too_many_attempts(request, minutes)


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step: the code of the authenticator app, or one of the recovery codes (each works once)."""
    if request.user.is_verified():
        return redirect(_next(request, reverse("home")))
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            request.session[security.SESSION_TWO_FACTOR] = ""
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    _("You used a recovery code; %(left)s are left. Make new ones on your account page.")
                    % {"left": left},
                )
            return redirect(_next(request, reverse("home")))
        form.add_error("code", _("This code is wrong or has expired. Type the code your app shows now."))
    status = 400 if form.errors else 200
    context = {"form": form, "next": _next(request, "")}
    return render(request, "accounts/two_factor_verify.html", context, status=status)


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Turning on two-step sign-in: scan the code (or type the key) into an app, then type one code back."""
    if security.two_factor_enabled(request.user) and not request.user.is_verified():
        return redirect(f"{reverse('accounts:two_factor_verify')}?next={_next(request, reverse('home'))}")
    device = security.totp_device_pending(request.user)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = security.two_factor_enable(user=request.user, device=device, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            otp_login(request, device)
            request.session[security.SESSION_TWO_FACTOR] = ""
            context = {"codes": codes, "next": _next(request, reverse("accounts:profile"))}
            return render(request, "accounts/two_factor_codes.html", context)
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "qr": qr.svg_inline(scale=4, title=_("Code to scan with an authenticator app")),
        "secret": security.totp_secret(device),
        "required": security.two_factor_required(request.user),
        "next": _next(request, ""),
    }
    return render(request, "accounts/two_factor_setup.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def two_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    """Ten new recovery codes, shown once (only from a session that passed the second step)."""
    if not request.user.is_verified():
        raise PermissionDenied(_("Sign in with your code first."))
    try:
        codes = security.recovery_codes_renew(user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("accounts:profile")
    return render(request, "accounts/two_factor_codes.html", {"codes": codes, "next": reverse("accounts:profile")})


def _check_national_admin(request: HttpRequest) -> None:
    if not user_is_national_admin(request.user):
        raise PermissionDenied(_("Only a national admin can see and unlock locked accounts."))


@login_required
def lockout_list(request: HttpRequest) -> HttpResponse:
    """Accounts locked after too many wrong passwords, for a national admin to unlock."""
    _check_national_admin(request)
    context = {"lockouts": security.lockout_list(), "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)}
    return render(request, "accounts/lockouts.html", context)


def _unlock_question(request: HttpRequest, username: str) -> Confirmation:
    _check_national_admin(request)
    return Confirmation(
        title=_("Unlock the account “%(name)s”?") % {"name": username},
        consequences=[
            _("Its wrong-password count starts again from zero."),
            _("Unlock only when you know the person asked for it: the lock may stop someone guessing."),
        ],
        button=_("Yes, unlock"),
    )


@login_required
@require_POST
@confirm_first(_unlock_question)
def lockout_clear(request: HttpRequest, username: str) -> HttpResponse:
    try:
        security.lockout_clear(user=request.user, username=username)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("“%(name)s” can sign in again.") % {"name": username})
    return redirect("accounts:lockouts")
