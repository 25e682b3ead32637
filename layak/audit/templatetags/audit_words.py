"""{% audit_sentence event %}, {% audit_details event as rows %}: audit events in words on every timeline."""

from __future__ import annotations

from django import template

from layak.audit import words

register = template.Library()


def _words(context) -> words.AuditWords:
    return context.render_context.setdefault("audit_words", words.AuditWords())


@register.simple_tag(takes_context=True)
def audit_sentence(context, event) -> str:
    return words.audit_sentence(event, _words(context))


@register.simple_tag(takes_context=True)
def audit_details(context, event) -> list[tuple[str, str]]:
    return words.audit_details(event, _words(context))
