from .selectors import unread_count


def notifications(request):
    """The unread count for the bell in the header (one query for a signed-in user, none otherwise)."""
    return {"unread_notifications": unread_count(getattr(request, "user", None))}
