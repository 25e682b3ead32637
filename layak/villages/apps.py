from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VillagesConfig(AppConfig):
    """Kecamatan and Desa/Kelurahan Layak Anak (Kelana/Dekela): operators, checklists and the roll-up."""

    name = "layak.villages"
    label = "villages"
    verbose_name = _("Kelana/Dekela")

    def ready(self) -> None:
        from layak.evaluations.prefill import register_provider

        from .providers import village_values

        register_provider(village_values)
