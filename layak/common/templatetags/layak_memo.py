"""`{% memo "name" %}…{% endmemo %}`: a part of a page that depends on nothing but the language, rendered once.

The site header, footer and scripts are the same on every page for every visitor in one language: links
(`{% url %}`), translated labels and static file addresses. Rendering them costs a little on every request; this
tag renders its content the first time and keeps the result in the process's memory under the name, the active
language and the script prefix. Put nothing of the visitor, the request or the data inside (no `user`, no
`csrf_token`, no variables): the content is checked once, at its first render, for variables (`{{ }}`) and
refused if it has any.
"""

from __future__ import annotations

from django import template
from django.template.base import VariableNode
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

_RENDERED: dict[tuple[str, str, str], SafeString] = {}


class MemoNode(template.Node):
    def __init__(self, name: str, nodelist: template.NodeList) -> None:
        self.name = name
        self.nodelist = nodelist
        if nodelist.get_nodes_by_type(VariableNode):
            raise template.TemplateSyntaxError(f"{{% memo {name!r} %}} holds a variable; it must not depend on one.")

    def render(self, context: template.Context) -> SafeString:
        key = (self.name, get_language() or "", get_script_prefix())
        html = _RENDERED.get(key)
        if html is None:
            html = _RENDERED[key] = mark_safe(self.nodelist.render(context))
        return html


@register.tag
def memo(parser: template.base.Parser, token: template.base.Token) -> MemoNode:
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError('Usage: {% memo "name" %}…{% endmemo %}')
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(bits[1][1:-1], nodelist)
