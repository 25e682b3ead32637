from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """What a notification tells its reader; its sentence is written in the reader's language when read."""

    REVISION_REQUESTED = "revision_requested", _("Revision requested")
    REVISION_ANSWERED = "revision_answered", _("Revision answered")
    STAGE_PASSED = "stage_passed", _("Stage passed")
    RESULTS_PUBLISHED = "results_published", _("Results published")
    ACCOUNT_CREATED = "account_created", _("Account created")
    CHECKLIST_REMINDER = "checklist_reminder", _("Kelana/Dekela checklist reminder")
