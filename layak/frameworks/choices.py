from django.db import models
from django.utils.translation import gettext_lazy as _


class ElementType(models.TextChoices):
    """The kinds of data an indicator asks for; the self-assessment form is generated from these."""

    PERCENTAGE = "percentage", _("Percentage")
    COUNT = "count", _("Count")
    RATE = "rate", _("Rate")
    YES_NO = "yes_no", _("Yes/no")
    CHOICE = "choice", _("Choice")
    TEXT = "text", _("Text")
    DOCUMENT = "document", _("Document")


class Certainty(models.TextChoices):
    """How sure the sources are about a name or fact (REFERENCE.md's confidence marks)."""

    SURE = "sure", _("Sure")
    LIKELY = "likely", _("Likely")
    UNSURE = "unsure", _("Unsure")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class AnswerType(models.TextChoices):
    """How a question of a question-level instrument (kla-2024) is answered; set by hand in the data file."""

    YES_NO = "yes_no", _("Yes/no with documents")
    PERCENTAGE = "percentage", _("Percentage from a numerator and a denominator")
    COUNT = "count", _("Count")
    LIST = "list", _("List or text")
    MATRIKS = "matriks", _("MATRIKS table")
