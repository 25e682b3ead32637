"""The Gugus Tugas KLA of a kab/kota: its decree (SK) with members, and its coordination meetings (rakor)."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from layak.registers.models import Person, Recorded, evidence_file

from .choices import DecisionStatus, MemberArea, MemberRole, Sector


def name_key(name: str) -> str:
    """A person's name folded for matching across registers: lower case, single spaces."""
    return re.sub(r"\s+", " ", name).strip().casefold()


KLA = "kla"  # the kind whose decree the KLA evaluation asks for, with its structure gap check


class TaskforceKind(models.Model):
    """A kind of task force a kab/kota forms by decree: Gugus Tugas KLA, Gugus Tugas PP-TPPO, PAUD-HI, ...
    Rows are data (added in the admin); `kla_structure` says whether the KLA gap check applies to its decrees."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=150)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    kla_structure = models.BooleanField(_("checked against the KLA structure"), default=False)

    class Meta:
        ordering = ["-kla_structure", "name"]
        verbose_name = _("kind of task force")
        verbose_name_plural = _("kinds of task force")

    def __str__(self) -> str:
        return self.name


class Decree(Recorded):
    """The Bupati/Wali Kota decree (SK Gugus Tugas KLA) that forms the task force for a period of years.

    A region keeps every decree it has had; the one whose period covers a year is the decree of that year.
    The signed document is stored as evidence of the region (`evidence`), so it can also support indicators.
    """

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="taskforce_decrees"
    )
    kind = models.ForeignKey(TaskforceKind, verbose_name=_("task force"), on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("decree number"), max_length=120)
    decree_date = models.DateField(_("decree date"))
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    signatory = models.CharField(_("signed by"), max_length=200, blank=True)
    evidence = evidence_file(_("decree file"))
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["region_id", "-period_end", "-decree_date", "-id"]
        verbose_name = _("Gugus Tugas decree")
        verbose_name_plural = _("Gugus Tugas decrees")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="decree_period",
                violation_error_message=_("The last year of the decree cannot be before its first year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.period_start}\N{EN DASH}{self.period_end})"

    def get_absolute_url(self) -> str:
        return reverse("taskforces:decree_detail", args=[self.pk])

    def covers(self, year: int) -> bool:
        return self.period_start <= year <= self.period_end


class Member(Person):
    """A person named in a decree: their role, sub-group, sector and OPD or organisation. Nothing more personal.

    `left_on` marks a member who has left the Gugus Tugas; they stay in the record for its history.
    """

    decree = models.ForeignKey(Decree, verbose_name=_("decree"), on_delete=models.CASCADE, related_name="members")
    role = models.CharField(_("role"), max_length=16, choices=MemberRole.choices, default=MemberRole.ANGGOTA)
    area = models.CharField(_("sub-group"), max_length=16, choices=MemberArea.choices, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, default=Sector.PEMERINTAH)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["decree_id", "role", "area", "name", "id"]
        verbose_name = _("Gugus Tugas member")
        verbose_name_plural = _("Gugus Tugas members")

    @property
    def has_left(self) -> bool:
        return self.left_on is not None


class Meeting(Recorded):
    """A coordination meeting (rakor) of the Gugus Tugas: when, where, about what, who came, and the minutes."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="taskforce_meetings"
    )
    held_on = models.DateField(_("date"))
    agenda = models.CharField(_("agenda"), max_length=300)
    place = models.CharField(_("place"), max_length=200, blank=True)
    attendee_count = models.PositiveIntegerField(_("number of attendees"), null=True, blank=True)
    attendees = models.ManyToManyField(Member, verbose_name=_("members present"), blank=True, related_name="meetings")
    kinds = models.ManyToManyField(
        TaskforceKind, verbose_name=_("task forces meeting"), related_name="+",
        help_text=_("More than one for a joint meeting of several task forces."),
    )  # fmt: skip
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_evidence = evidence_file(_("minutes file"))

    class Meta:
        ordering = ["region_id", "-held_on", "-id"]
        verbose_name = _("coordination meeting")
        verbose_name_plural = _("coordination meetings")
        indexes = [models.Index(fields=["region", "held_on"], name="meeting_region_date")]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} · {self.agenda}"

    def get_absolute_url(self) -> str:
        return reverse("taskforces:meeting_detail", args=[self.pk])


class Guest(models.Model):
    """Someone from outside the task forces who took part in a meeting, such as a speaker from IOM or the
    Kemenkumham regional office: a name and an organisation, nothing more."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(_("name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=200)
    is_speaker = models.BooleanField(_("speaker"), default=False)

    class Meta:
        ordering = ["meeting_id", "-is_speaker", "name", "id"]
        verbose_name = _("meeting guest")
        verbose_name_plural = _("meeting guests")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class Decision(models.Model):
    """Something a meeting decided, owned by one OPD with a due date, followed up until it is done."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    owner_agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("owner OPD"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=DecisionStatus.choices, default=DecisionStatus.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["meeting_id", "due_on", "id"]
        verbose_name = _("meeting decision")
        verbose_name_plural = _("meeting decisions")
        indexes = [models.Index(fields=["status", "due_on"], name="decision_status_due")]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("taskforces:decision_follow_up", args=[self.pk])

    def is_overdue(self, today) -> bool:
        return self.status != DecisionStatus.DONE and self.due_on < today


class FollowUp(models.Model):
    """One follow-up note on a decision, with the status it left the decision in."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    noted_on = models.DateField(_("date"))
    note = models.TextField(_("follow-up"))
    status = models.CharField(_("status"), max_length=12, choices=DecisionStatus.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("noted by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("noted at"), auto_now_add=True)

    class Meta:
        ordering = ["decision_id", "noted_on", "id"]
        verbose_name = _("decision follow-up")
        verbose_name_plural = _("decision follow-ups")

    def __str__(self) -> str:
        return f"{self.noted_on:%Y-%m-%d} · {self.get_status_display()}"
