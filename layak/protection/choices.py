"""The words of the child-protection figures: why a period was corrected, where figures came from."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CorrectionReason(models.TextChoices):
    """Why figures already recorded for a period change. Chosen from a list: a correction never carries free
    text, which could end up describing a child or a case."""

    LATE_REPORTS = "late_reports", _("Late reports were added")
    ENTRY_ERROR = "entry_error", _("A typing or entry error was corrected")
    DUPLICATE = "duplicate", _("A child counted twice was removed")
    RECLASSIFIED = "reclassified", _("Children were moved to the right category")
    SOURCE_REVISED = "source_revised", _("The source (SIMFONI-PPA, police, court) revised its figures")
    OTHER = "other", _("Another correction")


class Source(models.TextChoices):
    """How a version of a period's figures was entered."""

    FORM = "form", _("Monthly form")
    IMPORT = "import", _("Spreadsheet import")
    API = "api", _("API")
    DEMO = "demo", _("Demo data (data contoh)")


class FlagStatus(models.TextChoices):
    """Where a flagged jump stands: waiting for the coordinator, or confirmed as right."""

    OPEN = "open", _("To check")
    CONFIRMED = "confirmed", _("Confirmed as right")
