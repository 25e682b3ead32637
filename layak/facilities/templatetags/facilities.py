"""`{{ code|kind_name }}`: a facility kind's name from the kinds data file (people never read the code)."""

from django import template

from layak.facilities.kinds import catalogue

register = template.Library()


@register.filter
def kind_name(code: str) -> str:
    return catalogue().name(code)
