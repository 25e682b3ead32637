"""Dashboard audit events in words (see layak.audit.words)."""

from django.utils.translation import gettext_lazy as _

from layak.audit.words import wording

wording("province_target.set", _("%(actor)s set the province's target"))
wording("history.loaded", _("The published KLA history was loaded"))
