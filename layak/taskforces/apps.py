from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaskforcesConfig(AppConfig):
    name = "layak.taskforces"
    label = "taskforces"
    verbose_name = _("Gugus Tugas KLA")
