from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworksConfig(AppConfig):
    name = "layak.frameworks"
    label = "frameworks"
    verbose_name = _("Indicator frameworks")

    def ready(self) -> None:
        from layak.common.generations import bump_on_model_changes

        # A version's page is cached per generation of the frameworks (frameworks.views.version_detail).
        bump_on_model_changes("frameworks", self.get_models())
