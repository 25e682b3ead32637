from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "layak.notifications"
    label = "notifications"
    verbose_name = _("notifications")

    def ready(self) -> None:
        from layak.accounts.models import User
        from layak.common.usercache import forget_on_model_changes, read_with_row

        from .models import Notification
        from .selectors import UNREAD

        # The cached unread count of a user is dropped by any save or delete of their notifications, and when the
        # user is saved (a new account never meets a count cached for an older one with the same id).
        forget_on_model_changes(UNREAD, Notification)
        forget_on_model_changes(UNREAD, User, user_field="pk")
        read_with_row(UNREAD)  # the bell's count comes with the user's row, in the same cache read
