from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "layak.evaluations"
    label = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self) -> None:
        # The score pages of an assessment are cached under its generation (stamps.py, decision 0032).
        from .stamps import connect_evaluations

        connect_evaluations()
