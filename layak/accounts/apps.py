from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "layak.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from layak.common.usercache import ROW, forget_on_model_changes, read_with_row

        from .models import RoleAssignment, User
        from .security import session_started
        from .selectors import GRANTS

        # The cached grants of a user are dropped when their assignments change, and when the user is saved or
        # deleted (a new account never meets grants cached for an older one with the same id).
        forget_on_model_changes(GRANTS, RoleAssignment)
        forget_on_model_changes(GRANTS, User, user_field="pk")
        # The cached row (`backends.CachedModelBackend`) is dropped by any save or delete of the user; the grants
        # are read with it, in one round trip.
        forget_on_model_changes(ROW, User, user_field="pk")
        read_with_row(GRANTS)
        # The verified device of a two-step session is cached by `middleware.CachedOTPMiddleware`.
        from django.db.models.signals import post_delete, post_save
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from .middleware import forget_device

        for device_model in (TOTPDevice, StaticDevice):
            for signal in (post_save, post_delete):
                uid = f"layak.accounts.forget_device:{device_model._meta.label}:{signal is post_save}"
                signal.connect(forget_device, sender=device_model, weak=False, dispatch_uid=uid)

        def _started(sender, request, user, **kwargs) -> None:
            if request is not None and hasattr(request, "session"):
                session_started(request.session, user)

        user_logged_in.connect(_started, weak=False, dispatch_uid="layak.accounts.session_started")
