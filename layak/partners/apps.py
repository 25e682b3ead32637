from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "layak.partners"
    label = "partners"
    verbose_name = _("Partners")

    def ready(self) -> None:
        from layak.evaluations.prefill import register_provider

        from .providers import partner_values

        register_provider(partner_values)
