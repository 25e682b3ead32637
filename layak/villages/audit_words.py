"""Kelana/Dekela audit events in words (see layak.audit.words)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from layak.audit.words import after, summary_name, wording


def _count(event, _words=None) -> dict[str, str]:
    n = len(after(event, "codes", []) or [])
    return {"count": ngettext("%(n)s operator", "%(n)s operators", n) % {"n": n}}


wording("villages.operators_invited", _("%(actor)s invited %(count)s of districts and villages"), fill=_count)
wording("villages.invitation_redeemed", _("%(actor)s joined as the operator of %(name)s"), fill=summary_name)
wording("villages.answer_saved", _("%(actor)s answered question %(name)s"), fill=summary_name)
wording("villages.evidence_attached", _("%(actor)s attached evidence to question %(name)s"), fill=summary_name)
wording("villages.checklist_submitted", _("%(actor)s sent the checklist of %(name)s"), fill=summary_name)
wording("villages.checklist_verified", _("%(actor)s verified the checklist of %(name)s"), fill=summary_name)


def _reason(event, _words=None) -> list[tuple[str, str]]:
    return [(_("Reason"), after(event, "reason"))]


wording(
    "villages.checklist_reopened",
    _("%(actor)s reopened the checklist of %(name)s"),
    fill=summary_name,
    details=_reason,
)
wording("villages.reminded", _("%(actor)s reminded the districts and villages that have not answered"))
