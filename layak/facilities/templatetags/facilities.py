"""`{{ code|kind_name }}`: a facility kind's name from the kinds data file (people never read the code);
`{{ code|walking_distance }}`: its walking distance in metres."""

from django import template

from layak.facilities.kinds import catalogue

register = template.Library()


@register.filter
def kind_name(code: str) -> str:
    return catalogue().name(code)


@register.filter
def walking_distance(code: str) -> int:
    """The kind's walking distance in metres, as the kinds data file sets it."""
    kind = catalogue().kinds.get(code)
    return kind.walking_distance_m if kind else 0
