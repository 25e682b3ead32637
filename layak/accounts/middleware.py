"""Session rules after sign-in: the idle timeout and the second step of two-step sign-in.

Both read only the session (what it owes is stored there at sign-in, `security.session_started`), so a page
costs no extra query; the idle clock is written at most once a minute.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp.middleware import OTPMiddleware

from . import security

# Pages a session that still owes the second step may open.
OPEN_PREFIXES = ("/accounts/login/", "/accounts/logout/", "/accounts/2fa/", "/static/", "/i18n/", "/healthz")


def _signed_in_by_session(request: HttpRequest) -> bool:
    """True for a session that holds a sign-in; read from the session alone (loading the user would cost a query
    on pages served whole from the cache)."""
    session = getattr(request, "session", None)
    return session is not None and SESSION_KEY in session


class IdleTimeoutMiddleware:
    """Signs a session out after `LAYAK_IDLE_TIMEOUT_MINUTES` without a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _signed_in_by_session(request):
            now = int(time.time())
            seen = request.session.get(security.SESSION_SEEN)
            idle = int(getattr(settings, "LAYAK_IDLE_TIMEOUT_MINUTES", 30)) * 60
            if seen is not None and now - int(seen) > idle:
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after %(minutes)s minutes without activity. Sign in again to go on.")
                    % {"minutes": idle // 60},
                )
                return redirect_to_login(request.get_full_path())
            if seen is None or now - int(seen) >= 60:
                request.session[security.SESSION_SEEN] = now
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """A session that owes the second step (or, for roles that need it, turning it on) sees only that page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _signed_in_by_session(request) and not request.path.startswith(OPEN_PREFIXES):
            owed = request.session.get(security.SESSION_TWO_FACTOR)
            if owed is None and not request.user.is_authenticated:  # the account is gone or deactivated
                return self.get_response(request)
            if owed is None:  # a session from before two-step sign-in existed
                owed = request.session[security.SESSION_TWO_FACTOR] = security.two_factor_owed(request.user)
            if owed == "required" and security.two_factor_enabled(request.user):
                owed = request.session[security.SESSION_TWO_FACTOR] = "device"
            if owed and not request.user.is_verified():
                name = "accounts:two_factor_verify" if owed == "device" else "accounts:two_factor_setup"
                return HttpResponseRedirect(f"{reverse(name)}?next={quote(request.get_full_path())}")
        return self.get_response(request)


def _device_key(persistent_id: str) -> str:
    return f"otp-device:{persistent_id}"


class CachedOTPMiddleware(OTPMiddleware):
    """django-otp's middleware, reading the session's verified device from the shared cache instead of the
    database on every request of a two-step signed-in user. The cached device is dropped after any save or
    delete of a device (`AccountsConfig`): a removed or unconfirmed device stops verifying at once."""

    def _device_from_persistent_id(self, persistent_id: str):
        key = _device_key(self._normalize_persistent_id(persistent_id))
        device = cache.get(key)
        if device is None:
            device = super()._device_from_persistent_id(persistent_id)
            if device is not None:
                cache.set(key, device, 3600)
        return device


def forget_device(instance, **kwargs) -> None:
    """Drops a device from the cache of `CachedOTPMiddleware` (post_save/post_delete receiver), now and after the
    commit."""
    key = _device_key(instance.persistent_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
