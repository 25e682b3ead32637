from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadinessConfig(AppConfig):
    name = "layak.readiness"
    label = "readiness"
    verbose_name = _("Evidence readiness")

    def ready(self) -> None:
        from layak.evaluations.hooks import on_answers_changed
        from layak.evidence.hooks import on_file_replaced

        from .services import run_readiness_after_change, run_readiness_for_evidence

        on_answers_changed(run_readiness_after_change)
        on_file_replaced(run_readiness_for_evidence)
