from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    """Child-friendly facilities (SRA, PRAP, RBRA, PISA...), their certification, coverage, gaps and Kaltara zones."""

    name = "layak.facilities"
    label = "facilities"
    verbose_name = _("Child-friendly facilities")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from layak.evaluations.prefill import register_provider

        from .providers import facility_values

        register_provider(facility_values)
