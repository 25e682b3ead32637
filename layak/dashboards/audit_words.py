"""Dashboard audit events in words (see layak.audit.words)."""

from django.utils.translation import gettext_lazy as _

from layak.audit.words import actor_name, wording

wording("province_target.set", _("%(actor)s set the province's target"))
wording("history.loaded", _("The published KLA history was loaded"))
wording(
    "dashboards.exported",
    _("%(actor)s downloaded the table “%(name)s”"),
    fill=lambda e, _w: {"name": e.summary, "actor": actor_name(e) if e.actor_id or e.actor_name else _("A visitor")},
)
