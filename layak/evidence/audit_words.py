"""The evidence library's audit events in words (see layak.audit.words)."""

from django.utils.translation import gettext_lazy as _

from layak.audit.words import summary_name, wording

wording("evidence.uploaded", _("%(actor)s uploaded “%(name)s” to the evidence library"), fill=summary_name)
wording("evidence.linked", _("%(actor)s added the link “%(name)s” to the evidence library"), fill=summary_name)
wording("evidence.replaced", _("%(actor)s replaced the file of “%(name)s”"), fill=summary_name)
wording("evidence.carried_forward", _("%(actor)s reused “%(name)s” from the previous cycle"), fill=summary_name)
wording("upload.started", _("%(actor)s started uploading “%(name)s”"), fill=summary_name)
wording("evidence.downloaded", _("%(actor)s downloaded “%(name)s”"), fill=summary_name)
