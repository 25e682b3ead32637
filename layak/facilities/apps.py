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

        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .models import CertificationStep, Facility, Zone
        from .selectors import panel_generation_bump

        def bump(instance, **kwargs) -> None:
            region = getattr(instance, "region_id", None) or getattr(
                getattr(instance, "facility", None), "region_id", ""
            )
            if region:
                panel_generation_bump(region)

        for model in (Facility, Zone, CertificationStep):
            post_save.connect(bump, sender=model, weak=False, dispatch_uid=f"facilities-panels-save-{model.__name__}")
            post_delete.connect(bump, sender=model, weak=False, dispatch_uid=f"facilities-panels-del-{model.__name__}")
        m2m_changed.connect(bump, sender=Zone.members.through, weak=False, dispatch_uid="facilities-panels-members")

        # The dashboards read the panels' generations with their own, in one cache read (templatetags).
        from layak.common.generations import read_with

        from .selectors import panel_generations

        read_with("dashboards:province", panel_generations)
        read_with("dashboards:region", panel_generations)
