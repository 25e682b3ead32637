from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .sniff import EXTENSIONS, type_name


class StoredFile(models.Model):
    """One blob of bytes, named by its SHA-256: the same bytes uploaded twice are stored once.

    The file lives in the default storage under `evidence/<sha[:2]>/<sha>`; `content_type` is sniffed
    from the bytes when the file arrives, never taken from the file name or the browser's header.
    """

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=120)
    storage_name = models.CharField(_("storage name"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("stored at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self) -> str:
        return f"{self.sha256[:12]} ({self.content_type}, {self.size} B)"

    @property
    def type_name(self) -> str:
        """The kind of file in words ("PDF document"), for people; the MIME type stays for programs."""
        return type_name(self.content_type)


class EvidenceKind(models.TextChoices):
    """Evidence is either an uploaded file or a link to a document published elsewhere."""

    FILE = "file", _("File")
    LINK = "link", _("Link")


class Evidence(models.Model):
    """A supporting document of one region (kab/kota or province): a file or a link to an external document.

    One evidence item can support several indicators (the evaluations app links to it) and can be carried
    forward to the next cycle (`carried_from`). Replacing its file adds an `EvidenceVersion`; old ones stay.
    """

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="evidence"
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=8, choices=EvidenceKind.choices)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    current_file = models.ForeignKey(
        StoredFile, verbose_name=_("current file"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    document_number = models.CharField(_("document number"), max_length=120, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("carried forward from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_to",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["region_id", "-created_at", "-id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        indexes = [models.Index(fields=["region", "current_file"], name="evidence_region_file")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="file", current_file__isnull=False) | models.Q(kind="link") & ~models.Q(url="")
                ),
                name="evidence_file_or_link",
                violation_error_message=_("Evidence is either a file or a web address."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evidence:evidence_detail", args=[self.pk])

    @property
    def is_file(self) -> bool:
        return self.kind == EvidenceKind.FILE

    @property
    def type_label(self) -> str:
        """What a person calls the item's type: "PDF", "XLSX", … for files (needs `current_file`), "Link" else."""
        if not self.is_file:
            return str(EvidenceKind.LINK.label)
        return EXTENSIONS.get(self.current_file.content_type, (".bin",))[0].lstrip(".").upper()


class EvidenceVersion(models.Model):
    """One file an evidence item has held; the newest is also the item's `current_file`."""

    evidence = models.ForeignKey(
        Evidence, verbose_name=_("evidence"), on_delete=models.CASCADE, related_name="versions"
    )
    file = models.ForeignKey(StoredFile, verbose_name=_("file"), on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(_("original file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["evidence_id", "-uploaded_at", "-id"]
        verbose_name = _("evidence version")
        verbose_name_plural = _("evidence versions")

    def __str__(self) -> str:
        return f"{self.evidence_id} · {self.original_name}"


class UploadSession(models.Model):
    """A chunked, resumable upload in progress: each part received is one object in the "uploads" storage.

    A client that lost its connection asks for `received` and sends the rest from there, to any app server: the
    parts live in the shared storage (a bucket in production) and their offsets in `UploadPart` rows.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("declared size in bytes"))
    received = models.PositiveBigIntegerField(_("bytes received"), default=0)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    evidence = models.ForeignKey(
        Evidence, verbose_name=_("evidence"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("upload session")
        verbose_name_plural = _("upload sessions")

    def __str__(self) -> str:
        return f"{self.filename} ({self.received}/{self.size})"


class UploadPart(models.Model):
    """One received part of a resumable upload: `size` bytes from byte `offset`, stored as `storage_name`.

    Written under a lock on the session row together with the session's new `received`, so the recorded offset
    and the stored parts never disagree, whichever app server took the part.
    """

    session = models.ForeignKey(
        UploadSession, verbose_name=_("upload session"), on_delete=models.CASCADE, related_name="parts"
    )
    offset = models.PositiveBigIntegerField(_("first byte"))
    size = models.PositiveBigIntegerField(_("size in bytes"))
    storage_name = models.CharField(_("storage name"), max_length=200, unique=True)

    class Meta:
        ordering = ["session_id", "offset"]
        verbose_name = _("upload part")
        verbose_name_plural = _("upload parts")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "offset"],
                name="upload_part_offset_once",
                violation_error_message=_("This part of the upload has already been received."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} @{self.offset} ({self.size} B)"
