"""The training register's audit events in words (see layak.audit.words)."""

from django.utils.translation import gettext_lazy as _

from layak.audit.words import summary_name, wording

wording("training.created", _("%(actor)s recorded the training “%(name)s”"), fill=summary_name)
wording("training.updated", _("%(actor)s updated the training “%(name)s”"), fill=summary_name)
wording("training.participant_added", _("%(actor)s added %(name)s to a training"), fill=summary_name)
wording("training.participant_removed", _("%(actor)s removed %(name)s from a training"), fill=summary_name)
wording("training.participants_imported", _("%(actor)s imported the participants of “%(name)s”"), fill=summary_name)
