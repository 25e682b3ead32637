"""The bell's pages: the list of one's notifications, opening one (marks it read) and marking all read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import reminders, selectors, services


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, unread ones marked."""
    page = Paginator(selectors.notification_list_for_user(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Marks the notification read and goes to what it is about."""
    notification = selectors.notification_get_for_user(request.user, pk)
    services.notification_mark_read(user=request.user, notification=notification)
    safe = url_has_allowed_host_and_scheme(notification.url, {request.get_host()})
    return redirect(notification.url if notification.url and safe else "notifications:notification_list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notification_mark_read(user=request.user)
    messages.info(request, _("All notifications are marked read.") if count else _("Nothing was unread."))
    return redirect("notifications:notification_list")


@login_required
@require_POST
def email_reminders_set(request: HttpRequest) -> HttpResponse:
    """The person turns their own reminder e-mails on or off (the form on their account page)."""
    wanted = request.POST.get("reminders") == "on"
    reminders.email_preference_set(user=request.user, reminders=wanted)
    if wanted:
        messages.success(request, _("You will receive reminder e-mails."))
    else:
        messages.success(request, _("You will no longer receive reminder e-mails."))
    return redirect(f"{reverse('accounts:profile')}#reminders")
