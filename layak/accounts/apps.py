from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "layak.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .security import session_started

        def _started(sender, request, user, **kwargs) -> None:
            if request is not None and hasattr(request, "session"):
                session_started(request.session, user)

        user_logged_in.connect(_started, weak=False, dispatch_uid="layak.accounts.session_started")
