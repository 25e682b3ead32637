from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "layak.plans"
    label = "plans"
    verbose_name = _("RAD KLA")

    def ready(self) -> None:
        from layak.evaluations.prefill import register_provider

        from .providers import plan_values

        register_provider(plan_values)
