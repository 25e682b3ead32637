"""`{% memo %}` renders a language-only part of a page once per language, and refuses a part with a variable."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation


def _render(source: str, **context) -> str:
    return Template("{% load i18n layak_memo %}" + source).render(Context(context))


def test_a_memo_is_rendered_once_per_language():
    source = '{% memo "test-once" %}{% translate "Regions" %}{% endmemo %}'
    with translation.override("id"):
        indonesian = _render(source)
    with translation.override("en"):
        english = _render(source)
    assert english == "Regions" and indonesian != english
    with translation.override("en"):
        assert _render(source) == "Regions"


def test_the_first_render_is_kept(settings):
    source = '{% memo "test-kept" %}{% if flag %}on{% else %}off{% endif %}{% endmemo %}'
    with translation.override("en"):
        assert _render(source, flag=True) == "on"
        assert _render(source, flag=False) == "on"  # what the memo promises: nothing inside may vary


def test_a_variable_inside_a_memo_is_refused():
    with pytest.raises(TemplateSyntaxError, match="variable"):
        _render('{% memo "test-variable" %}{{ user }}{% endmemo %}')
    with pytest.raises(TemplateSyntaxError, match="Usage"):
        _render("{% memo name %}x{% endmemo %}")


@pytest.mark.django_db
def test_the_header_follows_the_chosen_language(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    assert ">Wilayah</a>" in client.get("/regions/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert ">Regions</a>" in client.get("/regions/").content.decode()
