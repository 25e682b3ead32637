from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import RoleAssignment


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own page: who they are and which roles they hold where."""
    assignments = RoleAssignment.objects.filter(user=request.user).select_related("region", "agency")
    return render(request, "accounts/profile.html", {"assignments": assignments})
