"""The home page: for a visitor what Layak is; for a signed-in person what to do next, then their roles."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from layak.accounts.selectors import role_assignment_list_for_user
from layak.notifications.selectors import notification_list_for_user

from .guide import my_guides
from .selectors import home_for_user


def home(request: HttpRequest) -> HttpResponse:
    context = {}
    if request.user.is_authenticated:
        context = {
            "home": home_for_user(request.user),
            "my_assignments": role_assignment_list_for_user(request.user),
            "unread": list(notification_list_for_user(request.user).filter(read_at__isnull=True)[:5]),
            "my_guides": my_guides(request.user),
        }
    return render(request, "home/home.html", context)
