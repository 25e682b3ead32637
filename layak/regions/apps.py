from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "layak.regions"
    label = "regions"
    verbose_name = _("Regions")

    def ready(self) -> None:
        from layak.common.generations import bump_on_model_changes

        from .models import Region

        # The regions index is cached per generation of the region tree (regions.selectors.REGIONS_GENERATION).
        bump_on_model_changes("regions", [Region])
