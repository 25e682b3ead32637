"""KHA trainings of a kab/kota (Bimtek, Diklat, TOT) and the people who took part."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from layak.registers.models import Person, Recorded, evidence_file

from .choices import KHA_KINDS, TrainingKind


class Training(Recorded):
    """One training event: its kind, title, dates, organiser, trainers and materials (text and/or a file)."""

    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("type"), max_length=16, choices=TrainingKind.choices, default=TrainingKind.BIMTEK_KHA)
    title = models.CharField(_("title"), max_length=300)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    trainers = models.TextField(_("trainers"), blank=True)
    materials = models.TextField(_("materials"), blank=True)
    materials_evidence = evidence_file(_("materials file"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["region_id", "-starts_on", "-id"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        indexes = [models.Index(fields=["region", "ends_on"], name="training_region_end")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="training_dates",
                violation_error_message=_("The last day of the training cannot be before its first day."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("trainings:training_detail", args=[self.pk])

    @property
    def is_kha(self) -> bool:
        return self.kind in KHA_KINDS


class Participant(Person):
    """A person who took part in a training: OPD (government) or organisation, position, Gugus Tugas link,
    certificate. Government staff have `agency` set; they are who the "SDM terlatih KHA" count counts.
    """

    training = models.ForeignKey(
        Training, verbose_name=_("training"), on_delete=models.CASCADE, related_name="participants"
    )
    is_taskforce_member = models.BooleanField(_("Gugus Tugas member"), default=False)
    taskforce_member = models.ForeignKey(
        "taskforces.Member",
        verbose_name=_("Gugus Tugas member record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainings_attended",
    )
    certificate_issued = models.BooleanField(_("certificate issued"), default=False)
    certificate_number = models.CharField(_("certificate number"), max_length=120, blank=True)

    class Meta:
        ordering = ["training_id", "name_key", "id"]
        verbose_name = _("training participant")
        verbose_name_plural = _("training participants")
