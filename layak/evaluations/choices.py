from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """The stages of a yearly KLA evaluation cycle (REFERENCE.md §4.1), each with its own time window."""

    SELF_ASSESSMENT = "self_assessment", _("Self-assessment (evaluasi mandiri)")
    PROVINCE_VERIFICATION = "province_verification", _("Province administrative verification")
    CENTRAL_REVIEW = "central_review", _("Central desk review")
    FIELD_VERIFICATION = "field_verification", _("Field verification (VLH)")
    FINALISATION = "finalisation", _("Finalisation")


class CycleStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class AssessmentStatus(models.TextChoices):
    """Where a region's self-assessment stands; only draft and returned assessments can be edited."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")


EDITABLE_STATUSES = frozenset({AssessmentStatus.DRAFT, AssessmentStatus.RETURNED})
