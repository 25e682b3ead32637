from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadinessConfig(AppConfig):
    name = "layak.readiness"
    label = "readiness"
    verbose_name = _("Evidence readiness")

    def ready(self) -> None:
        from layak.common.generations import bump_on_model_changes
        from layak.evaluations.hooks import on_answers_changed
        from layak.evidence.hooks import on_file_replaced

        from .models import CheckSetting
        from .services import SETTINGS_GENERATION, run_readiness_after_change, run_readiness_for_evidence

        bump_on_model_changes(SETTINGS_GENERATION, [CheckSetting])

        on_answers_changed(run_readiness_after_change)
        on_file_replaced(run_readiness_for_evidence)
