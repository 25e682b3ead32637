"""The Forum Anak register's audit events in words (see layak.audit.words)."""

from django.utils.translation import gettext_lazy as _

from layak.audit.words import summary_name, wording

wording("forum.created", _("%(actor)s added the children's forum “%(name)s”"), fill=summary_name)
wording("forum.updated", _("%(actor)s updated the children's forum “%(name)s”"), fill=summary_name)
wording("forum.activity_created", _("%(actor)s recorded the forum activity “%(name)s”"), fill=summary_name)
wording("forum.input_created", _("%(actor)s recorded a child's input"))
wording("forum.input_followed_up", _("%(actor)s followed up a child's input"))
