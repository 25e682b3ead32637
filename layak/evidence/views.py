"""HTML views of the evidence library: thin wrappers around the selectors and services."""

from __future__ import annotations

import os
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from layak.common.errors import file_missing

from . import selectors, services, storage
from .forms import EvidenceLinkForm, EvidenceReplaceForm, EvidenceUploadForm, SizeLimitUploadHandler
from .models import StoredFile
from .sniff import EXTENSIONS, extension_fits


def _library_context(request: HttpRequest, region, **forms) -> dict:
    return {
        "region": region,
        "evidence_list": selectors.evidence_list_for_region(user=request.user, region=region),
        "can_manage": services.evidence_can_manage(request.user, region.code),
        "upload_form": forms.get("upload_form") or EvidenceUploadForm(),
        "link_form": forms.get("link_form") or EvidenceLinkForm(),
        "max_mb": f"{storage.max_bytes() / (1024 * 1024):g}",
        "chunk_size": 1024 * 1024,
        "upload_messages": upload_script_messages(),
    }


def upload_script_messages() -> dict[str, str]:
    """The texts evidence_upload.js shows; {done}, {total} and {error} are filled in by the script."""
    return {
        "uploading": _("Uploading: {done} of {total}"),
        "resuming": _("Resuming from {done} of {total}"),
        "checking": _("Checking the file…"),
        "failed": _("The upload stopped: {error} Choose the same file again and press Upload to continue."),
        "network": _("The connection was lost."),
        "not_linked": _(
            "The file is in the evidence library but could not be linked here. Reload the page and pick it from "
            "the library."
        ),
    }


@login_required
def evidence_library(request: HttpRequest, region_code: str) -> HttpResponse:
    """A region's evidence library: every document and link, with forms to add more for those who may."""
    region = selectors.region_get_for_evidence(user=request.user, code=region_code)
    return render(request, "evidence/evidence_library.html", _library_context(request, region))


def upload_size_limited(view):
    """Puts the size-limit handler before Django's temp-file handler; CSRF is then checked by the inner view."""
    protected = csrf_protect(view)

    @csrf_exempt
    def wrapper(request, *args, **kwargs):
        request.upload_handlers = [SizeLimitUploadHandler(request), TemporaryFileUploadHandler(request)]
        return protected(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


def upload_too_large(request: HttpRequest, form) -> bool:
    if any(getattr(h, "too_large", False) for h in request.upload_handlers):
        form.add_error(None, storage.too_large_error().messages[0])
        return True
    return False


@upload_size_limited
@login_required
@require_POST
def evidence_upload(request: HttpRequest, region_code: str) -> HttpResponse:
    """Adds an uploaded file (plain form post, works without JavaScript) to the region's library."""
    region = selectors.region_get_for_evidence(user=request.user, code=region_code)
    form = EvidenceUploadForm(request.POST, request.FILES)
    if not upload_too_large(request, form) and form.is_valid():
        data = form.cleaned_data
        try:
            evidence = services.evidence_create_from_upload(
                user=request.user, region=region, upload=data.pop("file"), **data
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            _upload_message(request, evidence)
            return redirect("evidence:evidence_library", region.code)
    return render(
        request, "evidence/evidence_library.html", _library_context(request, region, upload_form=form), status=400
    )


def _upload_message(request: HttpRequest, evidence) -> None:
    if evidence.deduplicated:
        messages.info(
            request,
            _("This file is already in your library as “%(title)s”; nothing new was added.")
            % {"title": evidence.title},
        )
    else:
        messages.success(request, _("“%(title)s” was added.") % {"title": evidence.title})


@login_required
@require_POST
def evidence_link_create(request: HttpRequest, region_code: str) -> HttpResponse:
    """Records a link to an external document as evidence of the region."""
    region = selectors.region_get_for_evidence(user=request.user, code=region_code)
    form = EvidenceLinkForm(request.POST)
    if form.is_valid():
        try:
            evidence = services.evidence_create_link(user=request.user, region=region, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("“%(title)s” was added.") % {"title": evidence.title})
            return redirect("evidence:evidence_library", region.code)
    return render(
        request, "evidence/evidence_library.html", _library_context(request, region, link_form=form), status=400
    )


@login_required
def evidence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One evidence item: its facts, every version of its file and a form to replace the file."""
    evidence = selectors.evidence_get_for_user(user=request.user, pk=pk)
    return render(request, "evidence/evidence_detail.html", _detail_context(request, evidence, EvidenceReplaceForm()))


def _detail_context(request: HttpRequest, evidence, form) -> dict:
    return {
        "evidence": evidence,
        "versions": selectors.evidence_versions(evidence=evidence),
        "can_manage": services.evidence_can_manage(request.user, evidence.region_id),
        "replace_form": form,
        "max_mb": f"{storage.max_bytes() / (1024 * 1024):g}",
    }


@upload_size_limited
@login_required
@require_POST
def evidence_replace(request: HttpRequest, pk: int) -> HttpResponse:
    """Replaces the file of an evidence item; the previous file stays downloadable as an earlier version."""
    evidence = selectors.evidence_get_for_user(user=request.user, pk=pk)
    form = EvidenceReplaceForm(request.POST, request.FILES)
    if not upload_too_large(request, form) and form.is_valid():
        try:
            services.evidence_replace_file(
                user=request.user, evidence=evidence, upload=form.cleaned_data["file"], note=form.cleaned_data["note"]
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("The file was replaced; the earlier version is kept below."))
            return redirect(evidence)
    return render(request, "evidence/evidence_detail.html", _detail_context(request, evidence, form), status=400)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Streams the current file of an evidence item to someone who may read it, always as an attachment."""
    evidence = selectors.evidence_get_for_user(user=request.user, pk=pk)
    if not evidence.is_file:
        raise Http404
    response = _file_response(request, evidence.current_file, evidence.original_name)
    if response.status_code == 200:
        services.evidence_download_record(user=request.user, evidence=evidence)
    return response


@login_required
def evidence_version_download(request: HttpRequest, pk: int, version_id: int) -> HttpResponse:
    """Streams an earlier (or the current) version of an evidence item's file."""
    evidence = selectors.evidence_get_for_user(user=request.user, pk=pk)
    version = get_object_or_404(evidence.versions.select_related("file"), pk=version_id)
    response = _file_response(request, version.file, version.original_name)
    if response.status_code == 200:
        services.evidence_download_record(user=request.user, evidence=evidence, version=version.pk)
    return response


def safe_filename(name: str, content_type: str) -> str:
    """A download name without paths or control characters that ends in an extension fitting the real type."""
    base = os.path.basename(name.replace("\\", "/"))
    base = re.sub(r'[\x00-\x1f\x7f"<>:|?*;]', "", base).strip(" .")[:150] or "evidence"
    if not extension_fits(base, content_type):
        base += EXTENSIONS.get(content_type, (".bin",))[0]
    return base


def _file_response(request: HttpRequest, stored: StoredFile, name: str) -> HttpResponse:
    try:
        handle = default_storage.open(stored.storage_name, "rb")
    except (FileNotFoundError, OSError):
        return file_missing(request)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=safe_filename(name, stored.content_type),
        content_type=stored.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
