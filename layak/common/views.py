from django.http import HttpRequest, HttpResponse


def healthz(request: HttpRequest) -> HttpResponse:
    """A trivial view for load balancers, and the baseline that benchmarks measure pages against."""
    return HttpResponse("ok", content_type="text/plain")
