"""The child-protection figures' audit events in words (see layak.audit.words)."""

from django.utils.translation import gettext_lazy as _

from layak.audit.words import wording

wording("protection.reports_recorded", _("%(actor)s recorded child-protection figures"))
wording("protection.reports_corrected", _("%(actor)s corrected child-protection figures, keeping the earlier version"))
wording("protection.jump_confirmed", _("%(actor)s confirmed a flagged jump in the child-protection figures"))
wording("protection.population_saved", _("%(actor)s recorded a child population figure"))
