"""Every page of the demo, as each demo role reaches it by following links: no visible link leads to a page that
role may not open (403/404) or that fails (500), and no page shows a raw key where a person should read words
(a framework's field keys, choice values, audit verbs, workflow state codes, Python reprs).

The crawler starts at the home page and follows every link on every page it reaches (same site, GET only),
visiting at most a few pages per URL pattern, so every kind of page is seen without walking all 514 regions.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlparse

import pytest
from django.urls import Resolver404, resolve

from tests.demo_world import DEMO_ROLES, build_demo

PER_PATTERN = 2
# The demo has two kinds of assessment page (the current kla-2024 cycle, question by question, and the earlier
# kla-2021 cycle, indicator by indicator): the crawler opens a few more so it sees both.
PER_PATTERN_OVERRIDES = {"evaluations:assessment_detail": 4}
MAX_PAGES = 400
SKIP = re.compile(r"^/(admin|api|static|media|i18n)/|/logout|[?&](export|format)=|download|\.xlsx|/excel/$|/pdf")


class _Page(HTMLParser):
    """The page's links (outside `hidden` elements) and its visible text (no scripts, styles or attributes)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.text: list[str] = []
        self._skip: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in self.VOID:
            return
        if tag in {"script", "style", "code", "template"} or "hidden" in attributes or self._skip:
            self._skip.append(tag)
        if tag == "a" and attributes.get("href") and not self._skip:
            self.links.append(attributes["href"])

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if self._skip:
            self._skip.pop()

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def _pattern(path: str) -> str:
    try:
        match = resolve(path)
    except Resolver404:
        return path
    return match.view_name


def _raw_keys() -> dict[str, re.Pattern]:
    """What must never show as text: field keys, choice values, audit verbs, state codes, Python reprs."""
    from layak.audit.words import wordings
    from layak.evaluations.choices import AssessmentStatus
    from layak.frameworks.models import DataElement
    from layak.reviews.choices import ReviewAction, ReviewState

    element_keys = {code for code in DataElement.objects.values_list("code", flat=True) if "_" in code}
    choices = set()
    for items in DataElement.objects.exclude(choices=[]).values_list("choices", flat=True):
        for item in items:
            if isinstance(item, dict) and str(item.get("value", "")) not in {item.get("label"), item.get("label_en")}:
                choices.add(str(item["value"]))
    codes = {s for s in [*ReviewState.values, *ReviewAction.values, *AssessmentStatus.values] if "_" in s}
    verbs = set(wordings())
    choices |= _model_choice_values()
    figure_keys = _protection_keys()

    def words(names):
        names = sorted(n for n in names if n)
        return re.compile(r"(?<![\w/.-])(" + "|".join(map(re.escape, names)) + r")(?![\w/-])") if names else None

    return {
        "a field key": words(element_keys),
        "a choice value": words(choices),
        "a state or action code": words(codes),
        "a child-protection topic or figure key": words(figure_keys),
        "an audit verb": words(verbs),
        "a Python repr": re.compile(r"\{'\w+': |\[\('|<QuerySet|Decimal\('|\bNone\b"),
    }


def _model_choice_values() -> set[str]:
    """Every stored choice value of Layak's models that is a code rather than a word (it has an underscore):
    a page shows its label, never the value."""
    from django.apps import apps

    values = set()
    for model in apps.get_models():
        if not model.__module__.startswith("layak."):
            continue
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "flatchoices", None) or ():
                if isinstance(value, str) and "_" in value:
                    values.add(value)
    return values


def _protection_keys() -> set[str]:
    """The keys of the child-protection topics and their figures (data/protection/), such as `child_labour`."""
    from layak.protection.categories import catalogues

    keys = set()
    for catalogue in catalogues():
        for topic in catalogue.topics:
            keys |= {k for k in (topic.key, *topic.keys) if "_" in k}
    return keys


def _crawl(client, role: str, raw: dict[str, re.Pattern], per_pattern: int) -> tuple[list[str], set[str]]:
    problems, seen, per = [], set(), Counter()
    queue = deque([("/", "login")])
    while queue and len(seen) < MAX_PAGES:
        path, came_from = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code in (301, 302):
            continue
        if response.status_code != 200:
            problems.append(f"{role}: {path} answers {response.status_code} (linked from {came_from})")
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        page = _Page()
        page.feed(response.content.decode())
        text = " ".join(page.text)
        for what, pattern in raw.items():
            found = pattern.search(text) if pattern else None
            if found:
                start = max(found.start() - 60, 0)
                problems.append(f"{role}: {path} shows {what} “{found.group(0)}”: …{text[start : found.end() + 40]}…")
        for href in page.links:
            link = urldefrag(href)[0]
            parsed = urlparse(link)
            if parsed.scheme or parsed.netloc or not parsed.path.startswith("/") or SKIP.search(link):
                continue
            key = _pattern(parsed.path)
            if link not in seen and per[key] < PER_PATTERN_OVERRIDES.get(key, per_pattern):
                per[key] += 1
                queue.append((link, path))
    return problems, {_pattern(urlparse(p).path) for p in seen}


ROLES = ["anonymous", *DEMO_ROLES]
# Four crawls the suite's workers share: each language over two halves of the roles. English opens one page per
# URL pattern (its words differ from Indonesian; its links and keys do not).
CRAWLS = [("id", 0), ("id", 1), ("en", 0), ("en", 1)]
# Pages that used to show codes, which the Indonesian crawl must reach: explanation, what-if, verifier and timeline
# pages, verification's cycle pages (the progress of every regency/city, with the bulk assignment form), dashboards.
MUST_REACH = {
    "dp3a_jakpus": {"reviews:assessment_whatif", "reviews:assessment_explain"},
    "verifikator_dki": {"reviews:indicator_review", "reviews:assessment_timeline"},
    "admin_kemenpppa": {"reviews:cycle_reviews", "reviews:cycle_progress"},
    "koordinator_dki": {"reviews:cycle_progress"},
    "anonymous": {"dashboards:national", "dashboards:public_index"},
}


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "half"), CRAWLS, ids=[f"{lang}-{half}" for lang, half in CRAWLS])
def test_no_visible_link_leads_to_a_dead_end_and_no_page_shows_a_raw_key(client, settings, lang, half):
    from django.conf import settings as django_settings

    demo = build_demo(settings)
    raw = _raw_keys()
    problems, reached = [], {}
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = lang
    for role in ROLES[half::2]:
        client.logout()
        if role != "anonymous":
            client.force_login(demo["users"][role])
        found, reached[role] = _crawl(client, f"{role} ({lang})", raw, PER_PATTERN if lang == "id" else 1)
        problems += found
    assert not problems, "\n".join(sorted(set(problems)))
    if lang == "id":
        for role in reached.keys() & MUST_REACH.keys():
            assert MUST_REACH[role] <= reached[role], role


def test_every_role_is_crawled_in_both_languages():
    for lang in ("id", "en"):
        crawled = [role for crawl_lang, half in CRAWLS if crawl_lang == lang for role in ROLES[half::2]]
        assert sorted(crawled) == sorted(ROLES)
    assert MUST_REACH.keys() <= set(ROLES)


@pytest.mark.django_db
def test_the_raw_key_patterns_catch_what_people_used_to_see():
    from layak.frameworks.models import DataElement
    from layak.frameworks.services import frameworks_load_all

    frameworks_load_all()
    raw = _raw_keys()
    key = DataElement.objects.filter(code__contains="_").values_list("code", flat=True).first()
    assert raw["a field key"].search(f"-6.00 {key}") and not raw["a field key"].search(f"/x/{key}/")
    assert raw["a choice value"] is not None
    assert raw["an audit verb"].search("review.resubmit · Koordinator")
    assert raw["a state or action code"].search("province_revision → province_verification")
    assert raw["a Python repr"].search("{'state': 'finalisation'}")
    assert not raw["an audit verb"].search("Kota Administrasi Jakarta Pusat")
    assert raw["a choice value"].search("Status: entry_error")  # a correction reason of the protection figures
    assert raw["a child-protection topic or figure key"].search("child_labour: 12")
