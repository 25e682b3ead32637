"""The facility register's audit events in words (see layak.audit.words)."""

from django.utils.translation import gettext_lazy as _

from layak.audit.words import summary_name, wording

from .choices import Status


def _status(event, _words):
    after = (event.after or {}).get("status", "")
    label = Status(after).label if after in Status.values else ""
    return {"name": event.summary, "status": str(label).lower()}


def _count(event, _words):
    return {"count": (event.after or {}).get("facilities", 0)}


wording("facility.created", _("%(actor)s registered the facility “%(name)s”"), fill=summary_name)
wording("facility.updated", _("%(actor)s updated the facility “%(name)s”"), fill=summary_name)
wording("facility.status_changed", _("%(actor)s marked “%(name)s” as %(status)s"), fill=_status)
wording("facility.certificate_renewed", _("%(actor)s renewed the certificate of “%(name)s”"), fill=summary_name)
wording("facility.imported", _("%(actor)s imported %(count)s facilities from a spreadsheet"), fill=_count)
wording("facility.total_saved", _("%(actor)s recorded a facility total (%(name)s)"), fill=summary_name)
wording("facility.zone_created", _("%(actor)s created the Kaltara zone “%(name)s”"), fill=summary_name)
wording("facility.zone_member_added", _("%(actor)s added a facility to a zone (%(name)s)"), fill=summary_name)
wording("facility.zone_member_removed", _("%(actor)s took a facility out of a zone (%(name)s)"), fill=summary_name)
wording("facility.zone_deleted", _("%(actor)s deleted the Kaltara zone “%(name)s”"), fill=summary_name)
