from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "layak.trainings"
    label = "trainings"
    verbose_name = _("KHA trainings")

    def ready(self) -> None:
        from layak.evaluations.prefill import register_provider

        from .providers import training_values

        register_provider(training_values)
