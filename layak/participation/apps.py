from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "layak.participation"
    label = "participation"
    verbose_name = _("Child participation")

    def ready(self) -> None:
        from layak.evaluations.prefill import register_provider

        from .providers import participation_values

        register_provider(participation_values)
