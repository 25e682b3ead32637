"""The readiness checks' audit events in words (see layak.audit.words)."""

from django.utils.translation import gettext_lazy as _

from layak.audit.words import summary_name, wording

wording("readiness.flag_marked_wrong", _("%(actor)s marked a readiness flag as wrong: %(name)s"), fill=summary_name)
wording("readiness.check_disabled", _("%(actor)s turned the readiness check “%(name)s” off"), fill=summary_name)
wording("readiness.check_enabled", _("%(actor)s turned the readiness check “%(name)s” on"), fill=summary_name)
