from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "layak.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from layak.common.usercache import forget_on_model_changes

        from .models import RoleAssignment, User
        from .security import session_started
        from .selectors import GRANTS

        # The cached grants of a user are dropped when their assignments change, and when the user is saved or
        # deleted (a new account never meets grants cached for an older one with the same id).
        forget_on_model_changes(GRANTS, RoleAssignment)
        forget_on_model_changes(GRANTS, User, user_field="pk")

        def _started(sender, request, user, **kwargs) -> None:
            if request is not None and hasattr(request, "session"):
                session_started(request.session, user)

        user_logged_in.connect(_started, weak=False, dispatch_uid="layak.accounts.session_started")
