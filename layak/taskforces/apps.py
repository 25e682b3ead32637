from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaskforcesConfig(AppConfig):
    name = "layak.taskforces"
    label = "taskforces"
    verbose_name = _("Gugus Tugas KLA")

    def ready(self) -> None:
        from layak.evaluations.prefill import register_provider

        from .providers import taskforce_values

        register_provider(taskforce_values)
