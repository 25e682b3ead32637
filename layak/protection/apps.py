from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    """Aggregated child-protection figures (no individual cases), their checks, suppression and trends."""

    name = "layak.protection"
    verbose_name = _("Child-protection figures")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from layak.common.generations import bump_on_model_changes
        from layak.evaluations.prefill import register_provider

        from .models import ChildPopulation, Report
        from .providers import protection_values
        from .publication import PROTECTION_GENERATION

        register_provider(protection_values)
        bump_on_model_changes(PROTECTION_GENERATION, [Report, ChildPopulation])
