"""Account audit events in words (see layak.audit.words)."""

from django.utils.translation import gettext_lazy as _

from layak.audit.words import wording

wording("api_token.created", _("%(actor)s created an API token"))
wording("api_token.revoked", _("%(actor)s revoked an API token"))
wording("user.seeded", _("A demo account was created"))
