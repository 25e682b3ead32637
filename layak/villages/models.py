"""Kelana/Dekela: invitations for kecamatan and desa/kelurahan operators (their checklists follow)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import InvitationRole


class Invitation(models.Model):
    """A one-time code with which a kecamatan or desa/kelurahan operator creates their own account.

    The kab/kota coordinator issues invitations in bulk (from the provisioning sheet) and prints them; only the
    SHA-256 of the code is stored, so a code is shown once, on the page printed right after the upload. A code
    works once (`used_at`), until `expires_at`, and gives `role` over `region` (a kecamatan or desa of
    `kabkota`) to the person who redeems it.
    """

    kabkota = models.ForeignKey(
        "regions.Region", verbose_name=_("regency/city"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("district or village"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=32, choices=InvitationRole.choices)
    full_name = models.CharField(_("full name"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    code_hash = models.CharField(_("SHA-256 of the code"), max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("used by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["region_id", "-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["kabkota", "region"], name="invitation_kabkota_region")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(used_at__isnull=True, used_by__isnull=True)
                | models.Q(used_at__isnull=False, used_by__isnull=False),
                name="invitation_used_by_when_used",
                violation_error_message=_("A used invitation names who used it."),
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_issue",
                violation_error_message=_("An invitation expires after it is issued."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} · {self.get_role_display()}"

    @property
    def is_open(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


class Checklist(models.Model):
    """One kecamatan's or desa/kelurahan's Kelana/Dekela checklist in one cycle.

    It holds an answer per kla-2024 question flagged `for_kecamatan` or `for_desa` (by the area's level).
    `kabkota` is the kab/kota the area belongs to, so the roll-up groups without parsing codes. The operator
    submits it; the kab/kota coordinator verifies it. Only submitted checklists count in the roll-up. Whoever
    verifies may reopen a verified checklist with a reason (`reopened_*`): it goes back to the operator as a
    draft (neither sent nor verified) until it is sent again; the last reopening and its reason stay shown.
    """

    cycle = models.ForeignKey("evaluations.Cycle", verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("district or village"), on_delete=models.PROTECT, related_name="+"
    )
    kabkota = models.ForeignKey(
        "regions.Region", verbose_name=_("regency/city"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("level"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reopened by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reopen_reason = models.TextField(_("why it was reopened"), blank=True, max_length=2000)
    is_demo = models.BooleanField(_("example data"), default=False)
    # Moved by every write of the checklist and of its answers (services): the stamp of its cached fragments.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["cycle_id", "region_id"]
        verbose_name = _("Kelana/Dekela checklist")
        verbose_name_plural = _("Kelana/Dekela checklists")
        indexes = [models.Index(fields=["cycle", "kabkota", "level"], name="checklist_cycle_kabkota")]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "region"],
                name="checklist_unique_per_cycle_region",
                violation_error_message=_("This district or village already has a checklist in this cycle."),
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=[3, 4]),
                name="checklist_level_kecamatan_or_desa",
                violation_error_message=_("A checklist belongs to a district (kecamatan) or a village (desa)."),
            ),
            models.CheckConstraint(
                condition=models.Q(verified_at__isnull=True) | models.Q(submitted_at__isnull=False),
                name="checklist_verified_only_when_submitted",
                violation_error_message=_("Only a submitted checklist can be verified."),
            ),
            models.CheckConstraint(
                condition=models.Q(reopened_at__isnull=True) | ~models.Q(reopen_reason=""),
                name="checklist_reopened_with_reason",
                violation_error_message=_("A reopened checklist says why it was reopened."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} · {self.cycle}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def is_reopened(self) -> bool:
        """Reopened by the kab/kota and not sent again since."""
        return self.reopened_at is not None and (self.submitted_at is None or self.submitted_at < self.reopened_at)


class ChecklistAnswer(models.Model):
    """A kecamatan's or desa's answer to one kla-2024 question: yes or no, a note, and its evidence.

    The question asks the kab/kota "what percentage of desa have X"; the desa answers "we have X" (yes/no).
    `source` records where an accepted register value came from ("Forum Anak register: Forum Anak Desa …").
    """

    checklist = models.ForeignKey(
        Checklist, verbose_name=_("checklist"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        "frameworks.Question", verbose_name=_("question"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.BooleanField(_("answer"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    source = models.CharField(_("source of the value"), max_length=300, blank=True)
    evidence = models.ForeignKey(
        "evidence.Evidence",
        verbose_name=_("evidence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answered by"), on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        ordering = ["checklist_id", "question_id"]
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        indexes = [models.Index(fields=["question", "value"], name="checklist_answer_question")]
        constraints = [
            models.UniqueConstraint(
                fields=["checklist", "question"],
                name="checklist_answer_unique_question",
                violation_error_message=_("This question is already answered in this checklist."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.checklist} · {self.question_id}"
