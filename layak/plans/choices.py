from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    """A RAD KLA is drafted first, then adopted by a Perwali/Perbup (or a Perda)."""

    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")


class RightsGroup(models.TextChoices):
    """The four basic rights groups of the Convention on the Rights of the Child (KHA)."""

    SURVIVAL = "survival", _("Survival (kelangsungan hidup)")
    DEVELOPMENT = "development", _("Development (tumbuh kembang)")
    PROTECTION = "protection", _("Protection (perlindungan)")
    PARTICIPATION = "participation", _("Participation (partisipasi)")


class ActionStatus(models.TextChoices):
    """Whether the activity is already running or still planned."""

    EXISTING = "existing", _("Existing")
    PLANNED = "planned", _("Planned")


# The value of kla-2021's K2 element `rad_kla` that a region's RAD gives.
RAD_INTEGRATED = "integrated"
RAD_EXISTS = "exists"
RAD_NONE = "none"

# The rights group a draft action from a lost indicator starts with, by the indicator's group (K has none).
GROUP_RIGHTS = {
    "I": RightsGroup.PARTICIPATION,
    "II": RightsGroup.PROTECTION,
    "III": RightsGroup.SURVIVAL,
    "IV": RightsGroup.DEVELOPMENT,
    "V": RightsGroup.PROTECTION,
}


class FigureGoal(models.TextChoices):
    """Which way an action moves the child-protection figure it targets."""

    AT_MOST = "at_most", _("at most the target (bring it down)")
    AT_LEAST = "at_least", _("at least the target (bring it up)")
