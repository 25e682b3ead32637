"""The bell's pages: each person's own notifications; someone else's is hidden."""

from __future__ import annotations

from typing import Any

from layak.common.testing import HIDDEN, LOGIN, PUBLIC, REDIRECT, Check


def _owners_notification(w) -> dict[str, Any]:
    from layak.notifications.services import notify

    notify(users=[w.owner], kind="stage_passed", url="/", params={"region": "Jakarta Pusat"})
    return {"pk": w.owner.notifications.get().pk}


CHECKS: dict[str, Check] = {
    "notifications:notification_list": Check(PUBLIC, LOGIN),
    "notifications:notification_read_all": Check(REDIRECT, LOGIN, method="post"),
    "notifications:notification_open": Check(HIDDEN, LOGIN, _owners_notification, method="post"),
    # Each person sets their own reminder e-mails (nothing of anyone else's can be named).
    "notifications:email_reminders_set": Check(REDIRECT, LOGIN, method="post"),
}
