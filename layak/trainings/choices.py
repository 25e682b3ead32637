"""The kinds of training the register records; the first three teach the Convention on the Rights of the Child."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TrainingKind(models.TextChoices):
    """Bimtek (technical guidance) and Diklat (formal training) on the KHA, trainings of trainers, and others."""

    BIMTEK_KHA = "bimtek_kha", _("Bimtek KHA")
    DIKLAT_KHA = "diklat_kha", _("Diklat KHA")
    TOT_KHA = "tot_kha", _("TOT KHA (training of trainers)")
    OTHER = "other", _("Other training")


# Kinds that make a participant "SDM terlatih KHA" (staff trained in the KHA).
KHA_KINDS = (TrainingKind.BIMTEK_KHA, TrainingKind.DIKLAT_KHA, TrainingKind.TOT_KHA)
