from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    """Aggregated child-protection figures (no individual cases), their checks, suppression and trends."""

    name = "layak.protection"
    verbose_name = _("Child-protection figures")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from layak.evaluations.prefill import register_provider

        from .providers import protection_values

        register_provider(protection_values)
