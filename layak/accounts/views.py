from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from layak.common.confirm import Confirmation, confirm_first

from .forms import ApiTokenForm
from .models import ApiToken
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


def home(request: HttpRequest) -> HttpResponse:
    """The landing page: what Layak is; for a signed-in user, their roles and the regions they work on."""
    return render(request, "accounts/home.html", {"my_assignments": role_assignment_list_for_user(request.user)})


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
