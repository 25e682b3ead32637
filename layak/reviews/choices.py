from django.db import models
from django.utils.translation import gettext_lazy as _


class ScoreStage(models.TextChoices):
    """Whose score: the region's own, then each verification stage, then the final one (REFERENCE.md §3)."""

    SELF = "self", _("Self-assessment")
    PROVINCE = "province", _("Province verification")
    CENTRAL = "central", _("Central desk review")
    FIELD = "field", _("Field verification")
    FINAL = "final", _("Final")


# The stages where a reviewer scores each indicator, in order (self and final are computed, not scored).
REVIEW_STAGES = (ScoreStage.PROVINCE, ScoreStage.CENTRAL, ScoreStage.FIELD)


class ReviewState(models.TextChoices):
    """Where a submitted assessment stands in verification (REFERENCE.md §4.1, stages 2-5).

    Each verification stage has its own "revision" state: the region fixes the indicators that stage sent back,
    then resubmits to the same stage.
    """

    PROVINCE_VERIFICATION = "province_verification", _("Province verification")
    PROVINCE_REVISION = "province_revision", _("Revision requested by the province")
    CENTRAL_REVIEW = "central_review", _("Central desk review")
    CENTRAL_REVISION = "central_revision", _("Revision requested by the central review")
    FIELD_VERIFICATION = "field_verification", _("Field verification (VLH)")
    FIELD_REVISION = "field_revision", _("Revision requested by the field verification")
    FINALISATION = "finalisation", _("Finalisation")
    OBJECTION = "objection", _("Provisional results: objection period (sanggah)")
    FINALISED = "finalised", _("Finalised")


class ReviewAction(models.TextChoices):
    """What a person can do to a review; `workflow.TRANSITIONS` says who, in which state, and what follows."""

    APPROVE = "approve", _("Approve")
    REQUEST_REVISION = "request_revision", _("Request revision")
    RESUBMIT = "resubmit", _("Resubmit")
    RETURN = "return", _("Return to the previous stage")
    ANNOUNCE = "announce", _("Announce the provisional results")
    FINALISE = "finalise", _("Finalise")
    REOPEN = "reopen", _("Reopen")


class VisitMode(models.TextChoices):
    """How the field verification team visits a region (VLH: verifikasi lapangan hibrida)."""

    ONLINE = "online", _("Online (video call)")
    OFFLINE = "offline", _("On site")
    HYBRID = "hybrid", _("Hybrid (on site and online)")


class ObjectionDecision(models.TextChoices):
    """The ministry's answer to a region's objection (sanggah) on one question."""

    PENDING = "pending", _("Waiting for the ministry's decision")
    ACCEPTED = "accepted", _("Accepted: the grade was changed")
    REJECTED = "rejected", _("Rejected: the grade stays")
