from django import template

from layak.notifications.words import notification_text as _text

register = template.Library()


@register.filter
def notification_text(notification) -> str:
    return _text(notification)
