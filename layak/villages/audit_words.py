"""Kelana/Dekela audit events in words (see layak.audit.words)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from layak.audit.words import summary_name, wording


def _count(event, _words=None) -> dict[str, str]:
    n = int(event.summary or 0)
    return {"count": ngettext("%(n)s operator", "%(n)s operators", n) % {"n": n}}


wording("villages.operators_invited", _("%(actor)s invited %(count)s of districts and villages"), fill=_count)
wording("villages.invitation_redeemed", _("%(actor)s joined as the operator of %(name)s"), fill=summary_name)
