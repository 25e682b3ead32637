from django.conf import settings

from .selectors import user_grants, user_is_national_admin


def layak(request):
    """Values every page needs: the languages for the switcher and the user's role summary."""
    user = getattr(request, "user", None)
    return {
        "LAYAK_LANGUAGES": settings.LANGUAGES,
        "user_is_national_admin": bool(user and user_is_national_admin(user)),
        "user_grants": user_grants(user) if user else [],
    }
