from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VillagesConfig(AppConfig):
    """Kecamatan and Desa/Kelurahan Layak Anak (Kelana/Dekela): operators, checklists and the roll-up."""

    name = "layak.villages"
    label = "villages"
    verbose_name = _("Kelana/Dekela")

    def ready(self) -> None:
        from layak.common.generations import bump_on_model_changes
        from layak.evaluations.models import Cycle
        from layak.evaluations.prefill import register_provider

        from .models import Checklist, ChecklistAnswer
        from .providers import village_values
        from .provila import VILLAGES_GENERATION

        register_provider(village_values)
        # The province dashboard's Provila panel is cached under this generation (templatetags/villages_tags.py).
        bump_on_model_changes(VILLAGES_GENERATION, [Checklist, ChecklistAnswer, Cycle])
