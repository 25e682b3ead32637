from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from layak.accounts.selectors import role_assignment_list_for_user


def home(request: HttpRequest) -> HttpResponse:
    """The landing page: what Layak is; for a signed-in user, their roles and the regions they work on."""
    return render(request, "common/home.html", {"my_assignments": role_assignment_list_for_user(request.user)})


def healthz(request: HttpRequest) -> HttpResponse:
    """A trivial view for load balancers, and the baseline that benchmarks measure pages against."""
    return HttpResponse("ok", content_type="text/plain")
