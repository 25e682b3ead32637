from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "layak.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from layak.accounts.models import Agency
        from layak.common.generations import bump_on_model_changes

        from .selectors import AGENCIES_GENERATION

        # The report page names the agency (OPD) of each indicator or question (selectors.report_stamp).
        bump_on_model_changes(AGENCIES_GENERATION, [Agency])
