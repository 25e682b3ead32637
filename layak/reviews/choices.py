from django.db import models
from django.utils.translation import gettext_lazy as _


class ScoreStage(models.TextChoices):
    """Whose score: the region's own, then each verification stage, then the final one (REFERENCE.md §3)."""

    SELF = "self", _("Self-assessment")
    PROVINCE = "province", _("Province verification")
    CENTRAL = "central", _("Central desk review")
    FIELD = "field", _("Field verification")
    FINAL = "final", _("Final")
