"""The RAD KLA register's audit events in words (see layak.audit.words)."""

from django.utils.translation import gettext_lazy as _

from layak.audit.words import summary_name, wording

wording("plan.created", _("%(actor)s created the action plan “%(name)s”"), fill=summary_name)
wording("plan.updated", _("%(actor)s updated the action plan “%(name)s”"), fill=summary_name)
wording("plan.action_created", _("%(actor)s added the activity “%(name)s”"), fill=summary_name)
wording("plan.action_updated", _("%(actor)s updated the activity “%(name)s”"), fill=summary_name)
wording("plan.year_saved", _("%(actor)s saved a year's target and budget of “%(name)s”"), fill=summary_name)
wording("plan.realisation_saved", _("%(actor)s saved a quarterly realisation"))
wording("plan.report_created", _("%(actor)s wrote a monitoring report"))
wording("plan.apbd_saved", _("%(actor)s saved the APBD total of a year"))
wording("plan.actions_imported", _("%(actor)s imported activities from Excel"))
wording("plan.drafts_created", _("%(actor)s drafted activities from the points lost"))
