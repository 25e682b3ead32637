"""The reports' audit events in words (see layak.audit.words)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from layak.audit.words import after, wording

wording(
    "reports.bundle_requested",
    _("%(actor)s asked for every report of the cycle for %(scope)s"),
    fill=lambda e, w: {"scope": after(e, "scope")},
)
wording(
    "reports.bundle_downloaded",
    _("%(actor)s downloaded every report of the cycle for %(scope)s"),
    fill=lambda e, w: {"scope": after(e, "scope")},
)
