"""Account audit events in words (see layak.audit.words)."""

from django.utils.translation import gettext_lazy as _

from layak.audit.words import summary_name, wording

wording("api_token.created", _("%(actor)s created an API token"))
wording("api_token.revoked", _("%(actor)s revoked an API token"))
wording("user.seeded", _("A demo account was created"))
wording("account.created", _("%(actor)s opened the account of %(name)s"), fill=summary_name)
wording("account.deactivated", _("%(actor)s deactivated the account of %(name)s"), fill=summary_name)
wording("account.reactivated", _("%(actor)s reactivated the account of %(name)s"), fill=summary_name)
wording("login.succeeded", _("%(actor)s signed in"))
wording("login.failed", _("A sign-in as “%(name)s” was refused (wrong password)"), fill=summary_name)
wording("login.unlocked", _("%(actor)s unlocked the account “%(name)s”"), fill=summary_name)
wording("password.changed", _("%(actor)s changed their password"))
wording("password.reset", _("%(actor)s chose a new password through the reset link"))
wording("two_factor.enabled", _("%(actor)s turned on two-step sign-in"))
wording("two_factor.codes_renewed", _("%(actor)s made new recovery codes"))
wording("role.granted", _("%(actor)s gave a role: %(name)s"), fill=summary_name)
wording("role.changed", _("%(actor)s changed a role: %(name)s"), fill=summary_name)
wording("role.revoked", _("%(actor)s took away a role: %(name)s"), fill=summary_name)
wording("user.deleted", _("%(actor)s deleted the account of %(name)s"), fill=summary_name)
