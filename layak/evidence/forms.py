"""Forms of the evidence pages. Files arrive through Django's upload handlers (temp files), never whole in memory."""

from __future__ import annotations

from django import forms
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext_lazy as _

from . import storage
from .sniff import ALLOWED_KINDS

MULTIPART_SLACK = 64 * 1024  # room for the form fields and multipart boundaries around the file


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops reading an upload as soon as it passes the evidence size limit; the view then shows the limit.

    Installed first, so the temp-file handler after it never writes the bytes beyond the limit.
    """

    too_large = False
    request_length = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.request_length = content_length or 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        if self.request_length > storage.max_bytes() + MULTIPART_SLACK:  # refuse before reading the file at all
            self.too_large = True
            raise StopUpload(connection_reset=False)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > storage.max_bytes():
            self.too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


class _DocumentFields(forms.Form):
    document_number = forms.CharField(
        label=_("Document number"), max_length=120, required=False, help_text=_("For example the number of an SK.")
    )
    document_date = forms.DateField(
        label=_("Document date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class EvidenceUploadForm(_DocumentFields):
    file = forms.FileField(label=_("File"), help_text=ALLOWED_KINDS)
    title = forms.CharField(
        label=_("Title"), max_length=300, required=False, help_text=_("Leave empty to use the file name.")
    )

    field_order = ["file", "title", "document_number", "document_date", "valid_until"]


class EvidenceLinkForm(_DocumentFields):
    url = forms.URLField(
        label=_("Web address"), max_length=1000, assume_scheme="https", help_text=_("Starts with http:// or https://.")
    )
    title = forms.CharField(label=_("Title"), max_length=300)

    field_order = ["url", "title", "document_number", "document_date", "valid_until"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "link_%s")  # the upload form on the same page uses the default ids
        super().__init__(*args, **kwargs)


class EvidenceReplaceForm(forms.Form):
    file = forms.FileField(label=_("New file"), help_text=ALLOWED_KINDS)
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)
