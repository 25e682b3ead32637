"""Framework audit events in words (see layak.audit.words)."""

from django.utils.translation import gettext_lazy as _

from layak.audit.words import wording

wording("framework_version.loaded", _("A framework version was loaded from its data file"))
wording("framework_version.cloned", _("%(actor)s cloned a framework version"))
wording("framework_version.weights_updated", _("%(actor)s changed the maximum points of a framework version"))
