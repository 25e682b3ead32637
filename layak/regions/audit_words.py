"""Region audit events in words (see layak.audit.words)."""

from django.utils.translation import gettext_lazy as _

from layak.audit.words import wording

wording("regions.loaded", _("The Kemendagri region list was loaded"))
