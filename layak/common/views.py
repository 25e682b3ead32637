from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """The landing page: what Layak is and where to go next."""
    return render(request, "common/home.html")


def healthz(request: HttpRequest) -> HttpResponse:
    """A trivial view for load balancers, and the baseline that benchmarks measure pages against."""
    return HttpResponse("ok", content_type="text/plain")
