"""The partner register's audit events in words (see layak.audit.words)."""

from django.utils.translation import gettext_lazy as _

from layak.audit.words import summary_name, wording

wording("partner.created", _("%(actor)s added the partner “%(name)s”"), fill=summary_name)
wording("partner.updated", _("%(actor)s updated the partner “%(name)s”"), fill=summary_name)
wording("partner.contribution_created", _("%(actor)s recorded a partner's contribution"))
wording("partner.commitment_created", _("%(actor)s recorded the commitment “%(name)s”"), fill=summary_name)
