"""The Gugus Tugas register's audit events in words (see layak.audit.words)."""

from django.utils.translation import gettext_lazy as _

from layak.audit.words import summary_name, wording

wording("taskforce.decree_created", _("%(actor)s recorded the Gugus Tugas decree “%(name)s”"), fill=summary_name)
wording("taskforce.decree_updated", _("%(actor)s updated the Gugus Tugas decree “%(name)s”"), fill=summary_name)
wording("taskforce.member_added", _("%(actor)s added %(name)s to the Gugus Tugas"), fill=summary_name)
wording("taskforce.member_updated", _("%(actor)s updated the Gugus Tugas member %(name)s"), fill=summary_name)
wording("taskforce.members_imported", _("%(actor)s imported Gugus Tugas members from Excel"))
wording("taskforce.meeting_recorded", _("%(actor)s recorded a coordination meeting"))
wording("taskforce.meeting_updated", _("%(actor)s updated a coordination meeting"))
wording("taskforce.decision_added", _("%(actor)s added a decision to a meeting"))
wording("taskforce.decision_followed_up", _("%(actor)s followed up a meeting decision"))
