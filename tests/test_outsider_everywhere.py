"""Every URL of Layak, requested as the outsider and as an anonymous visitor.

The test walks the whole URL configuration (Django patterns and every operation of the ninja API under
/api/v1/) and looks each one up in REGISTRY below. A pattern that is not registered FAILS the test: whoever
adds a view or an endpoint says here, in one line, what an outsider (a coordinator of Kota Banjarmasin, 63.71)
and an anonymous visitor must get. Sample objects belong to Kota Administrasi Jakarta Pusat (31.71), so a
scoped page answers the outsider with 403 or 404.

How to register a new URL (key, then Check):
- a Django view: its namespaced URL name, e.g. "evaluations:assessment_detail";
- an API operation: "<METHOD> /api/v1<path as ninja declares it>", e.g. "GET /api/v1/regions/{code}".
`kwargs` is a dict, or a function of the `World` (sample objects) returning one, for reversing the URL.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern

from config.api import api
from layak.accounts.services import api_token_create
from layak.common.testing import (
    ADMIN_LOGIN,
    ANONYMOUS,
    HIDDEN,
    LOGIN,
    OUTSIDER,
    PUBLIC,
    REDIRECT,
    UNAUTHORIZED,
    Check,
    Expected,
    app_outsider_checks,
)
from layak.regions.tests.factories import make_region

REGION = "31.71"
FRAMEWORK = "kla-2021"
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass
class World:
    """Sample objects of Kota Administrasi Jakarta Pusat (31.71) owned by its coordinator, made on first use."""

    owner: Any

    @cached_property
    def indicator_code(self) -> str:
        from layak.frameworks.models import Indicator

        return Indicator.objects.filter(group__version__slug=FRAMEWORK).order_by("pk").values_list("code", flat=True)[0]

    @cached_property
    def evidence_file(self):
        from layak.evidence.services import evidence_create_from_upload

        upload = ContentFile(PDF_BYTES, name="perda-kla.pdf")
        return evidence_create_from_upload(user=self.owner, region=make_region(REGION), upload=upload, title="Perda")

    @cached_property
    def evidence_version_id(self) -> int:
        return self.evidence_file.versions.get().pk

    @cached_property
    def upload_session(self):
        from layak.evidence.services import upload_session_start

        return upload_session_start(user=self.owner, region=make_region(REGION), filename="a.pdf", size=10)

    @cached_property
    def assessment(self):
        from layak.evaluations.tests.factories import make_assessment, make_cycle
        from layak.frameworks.models import FrameworkVersion

        return make_assessment(make_cycle(FrameworkVersion.objects.get(slug=FRAMEWORK)), REGION)

    @cached_property
    def api_token_id(self) -> int:
        return api_token_create(user=self.owner, name="coordinator's script")[0].pk


def _region(w: World) -> dict[str, str]:
    return {"region_code": REGION}


def _evidence(w: World) -> dict[str, int]:
    return {"pk": w.evidence_file.pk}


def _assessment(w: World) -> dict[str, int]:
    return {"pk": w.assessment.pk}


def _answer(w: World) -> dict[str, Any]:
    return {"pk": w.assessment.pk, "code": w.indicator_code}


def _api_answer(w: World) -> dict[str, Any]:
    return {"assessment_id": w.assessment.pk, "indicator_code": w.indicator_code}


REGISTRY: dict[str, Check] = {
    # Public pages.
    "home": Check(PUBLIC, PUBLIC),
    "healthz": Check(PUBLIC, PUBLIC),
    "set_language": Check(REDIRECT, REDIRECT, method="post", data={"language": "en", "next": "/"}),
    "regions:region_index": Check(PUBLIC, PUBLIC),
    "regions:region_search": Check(PUBLIC, PUBLIC),
    "regions:region_detail": Check(PUBLIC, PUBLIC, {"code": REGION}),
    # KLA indicator frameworks: public to read, national admins only to change.
    "frameworks:version_list": Check(PUBLIC, PUBLIC),
    "frameworks:version_detail": Check(PUBLIC, PUBLIC, {"slug": FRAMEWORK}),
    "frameworks:indicator_detail": Check(PUBLIC, PUBLIC, lambda w: {"slug": FRAMEWORK, "code": w.indicator_code}),
    "frameworks:version_clone": Check(HIDDEN, LOGIN, {"slug": FRAMEWORK}),
    "frameworks:version_weights": Check(HIDDEN, LOGIN, {"slug": FRAMEWORK}),
    # Accounts: the outsider's own pages work; someone else's token is hidden.
    "accounts:login": Check(PUBLIC, PUBLIC),
    "accounts:logout": Check(REDIRECT, REDIRECT, method="post"),
    "accounts:profile": Check(PUBLIC, LOGIN),
    "accounts:api_token_create": Check(
        PUBLIC, LOGIN, method="post", data={"name": "script", "scope": "read", "days": "30"}
    ),
    "accounts:api_token_revoke": Check(HIDDEN, LOGIN, lambda w: {"pk": w.api_token_id}, method="post"),
    "accounts:password_change": Check(PUBLIC, LOGIN),
    # Two-step sign-in: the outsider's own enrolment and code pages; new recovery codes need a verified session.
    "accounts:two_factor_verify": Check(PUBLIC, LOGIN),
    "accounts:two_factor_setup": Check(PUBLIC, LOGIN),
    "accounts:two_factor_recovery_codes": Check(HIDDEN, LOGIN, method="post"),
    # Locked accounts: national admins only.
    "accounts:lockouts": Check(HIDDEN, LOGIN),
    "accounts:lockout_clear": Check(HIDDEN, LOGIN, {"username": "koordinator_jakpus"}, method="post"),
    "accounts:password_change_done": Check(PUBLIC, LOGIN),
    "accounts:password_reset": Check(PUBLIC, PUBLIC),
    "accounts:password_reset_done": Check(PUBLIC, PUBLIC),
    "accounts:password_reset_confirm": Check(PUBLIC, PUBLIC, {"uidb64": "MQ", "token": "set-password"}),
    "accounts:password_reset_complete": Check(PUBLIC, PUBLIC),
    # Evidence of 31.71.
    "evidence:evidence_library": Check(HIDDEN, LOGIN, _region),
    "evidence:evidence_upload": Check(HIDDEN, LOGIN, _region, method="post"),
    "evidence:evidence_link_create": Check(
        HIDDEN, LOGIN, _region, method="post", data={"url": "https://example.org/perda.pdf", "title": "Perda"}
    ),
    "evidence:evidence_detail": Check(HIDDEN, LOGIN, _evidence),
    "evidence:evidence_replace": Check(HIDDEN, LOGIN, _evidence, method="post"),
    "evidence:evidence_download": Check(HIDDEN, LOGIN, _evidence),
    "evidence:evidence_version_download": Check(
        HIDDEN, LOGIN, lambda w: {"pk": w.evidence_file.pk, "version_id": w.evidence_version_id}
    ),
    # Evaluation cycles (national admin) and the self-assessment of 31.71.
    "evaluations:cycle_list": Check(PUBLIC, LOGIN),
    "evaluations:cycle_create": Check(HIDDEN, LOGIN),
    # A cycle is national (year and windows); inside it each user sees only their own regions' assessments.
    "evaluations:cycle_detail": Check(PUBLIC, LOGIN, lambda w: {"pk": w.assessment.cycle_id}),
    "evaluations:cycle_extension_create": Check(
        HIDDEN, LOGIN, lambda w: {"pk": w.assessment.cycle_id}, method="post", data={"region": REGION}
    ),
    "evaluations:assessment_detail": Check(HIDDEN, LOGIN, _assessment),
    "evaluations:assessment_assign": Check(HIDDEN, LOGIN, _assessment, method="post"),
    "evaluations:assessment_submit": Check(HIDDEN, LOGIN, _assessment, method="post"),
    "evaluations:answer_edit": Check(HIDDEN, LOGIN, _answer),
    "evaluations:answer_autosave": Check(HIDDEN, LOGIN, _answer, method="post"),
    "evaluations:answer_draft_discard": Check(HIDDEN, LOGIN, _answer, method="post"),
    # The API's own pages.
    "api:api-root": Check(frozenset({404}), frozenset({404})),  # ninja serves nothing at the bare root
    "api:openapi-json": Check(PUBLIC, PUBLIC),
    "api:openapi-view": Check(PUBLIC, PUBLIC),
    # API operations.
    "GET /api/v1/regions": Check(PUBLIC, PUBLIC),
    "GET /api/v1/regions/{code}": Check(PUBLIC, PUBLIC, {"code": REGION}),
    "GET /api/v1/frameworks": Check(PUBLIC, PUBLIC),
    "GET /api/v1/frameworks/{slug}": Check(PUBLIC, PUBLIC, {"slug": FRAMEWORK}),
    "POST /api/v1/evidence/uploads": Check(
        HIDDEN, UNAUTHORIZED, method="post", data={"region": REGION, "filename": "a.pdf", "size": 10}
    ),
    "GET /api/v1/evidence/uploads/{upload_id}": Check(
        HIDDEN, UNAUTHORIZED, lambda w: {"upload_id": w.upload_session.pk}
    ),
    "PUT /api/v1/evidence/uploads/{upload_id}": Check(
        HIDDEN, UNAUTHORIZED, lambda w: {"upload_id": w.upload_session.pk, "offset": 0}, method="put"
    ),
    "POST /api/v1/evidence/uploads/{upload_id}/complete": Check(
        HIDDEN, UNAUTHORIZED, lambda w: {"upload_id": w.upload_session.pk}, method="post", data={"title": "x"}
    ),
    "GET /api/v1/evidence/{evidence_id}": Check(HIDDEN, UNAUTHORIZED, lambda w: {"evidence_id": w.evidence_file.pk}),
    "GET /api/v1/assessments/{assessment_id}/answers/{indicator_code}": Check(HIDDEN, UNAUTHORIZED, _api_answer),
    "PUT /api/v1/assessments/{assessment_id}/answers/{indicator_code}": Check(
        HIDDEN, UNAUTHORIZED, _api_answer, method="put", data={"values": {}, "expected_revision": 0}
    ),
    "POST /api/v1/assessments/{assessment_id}/submit": Check(
        HIDDEN, UNAUTHORIZED, lambda w: {"assessment_id": w.assessment.pk}, method="post"
    ),
}

# Each app may keep its own entries in layak/<app>/tests/outsider.py (a CHECKS dict), next to its tests.
REGISTRY.update(app_outsider_checks())

# Django's admin checks staff status before anything else: every admin URL sends non-staff users to its login.
ADMIN_SAMPLE_KWARGS = {
    "pk": "1",
    "object_id": "1",
    "id": "1",
    "content_type_id": "1",
    "app_label": "accounts",
    "url": "x/",
}
ADMIN_OVERRIDES = {"admin:login": Check(PUBLIC, PUBLIC), "admin:logout": Check(REDIRECT, REDIRECT, method="post")}
ADMIN_DEFAULT = Check(ADMIN_LOGIN, ADMIN_LOGIN)


@dataclass(frozen=True)
class Target:
    """One requestable thing: its registry key, how to build its URL, and (for the admin) its own check."""

    key: str
    build: Callable[[dict[str, Any]], str]
    check: Check | None = None


def _django_targets(resolver: URLResolver, prefix: str = "", namespace: str = "") -> list[Target]:
    targets = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = ":".join(filter(None, [namespace, pattern.namespace]))
            targets += _django_targets(pattern, prefix + str(pattern.pattern), ns)
        elif namespace == "admin":
            targets.append(_admin_target(pattern, prefix))
        elif not _is_api_operation(namespace, pattern):
            key = ":".join(filter(None, [namespace, pattern.name])) if pattern.name else prefix + str(pattern.pattern)
            targets.append(Target(key, lambda kw, key=key: reverse(key, kwargs=kw)))
    return targets


def _is_api_operation(namespace: str, pattern: URLPattern) -> bool:
    # The ninja operations are walked through the API object below, one per method; only its own pages stay.
    return namespace == "api" and pattern.name not in {"api-root", "openapi-json", "openapi-view"}


def _admin_target(pattern: URLPattern, prefix: str) -> Target:
    names = set(pattern.pattern.regex.groupindex)
    kwargs = {k: v for k, v in ADMIN_SAMPLE_KWARGS.items() if k in names}
    if pattern.name:
        key = f"admin:{pattern.name}"
        return Target(key, lambda _kw: reverse(key, kwargs=kwargs), ADMIN_OVERRIDES.get(key, ADMIN_DEFAULT))
    if isinstance(pattern.pattern, RegexPattern):
        return Target(f"admin {pattern.pattern}", lambda _kw: "/" + prefix + "nowhere/", ADMIN_DEFAULT)
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: kwargs[m.group(1)], str(pattern.pattern))
    return Target(f"admin {route}", lambda _kw: "/" + prefix + route, ADMIN_DEFAULT)


def _api_targets() -> list[Target]:
    root = reverse("api:api-root").rstrip("/")
    targets = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            # Ninja writes typed parameters as {int:name}; the registry uses the plain {name}.
            full = re.sub(r"\{\w+:(\w+)\}", r"{\1}", re.sub(r"/+", "/", f"{prefix}/{path}").rstrip("/"))
            for operation in path_view.operations:
                for method in operation.methods:
                    targets.append(Target(f"{method} {root}{full}", lambda kw, full=full: _api_url(root, full, kw)))
    return targets


def _api_url(root: str, path: str, kwargs: dict[str, Any]) -> str:
    """Fills {name} path parameters from kwargs; the rest of kwargs become the query string."""
    used = set()

    def fill(match: re.Match) -> str:
        used.add(match.group(1))
        return str(kwargs[match.group(1)])

    url = root + re.sub(r"\{(\w+)\}", fill, path)
    query = "&".join(f"{k}={v}" for k, v in kwargs.items() if k not in used)
    return f"{url}?{query}" if query else url


def all_targets() -> list[Target]:
    return _django_targets(get_resolver()) + _api_targets()


def test_every_url_is_registered():
    missing = sorted({t.key for t in all_targets() if t.check is None and t.key not in REGISTRY})
    assert not missing, (
        "These URLs have no outsider check. Add each to REGISTRY in tests/test_outsider_everywhere.py with what "
        "the outsider (coordinator of 63.71) and an anonymous visitor must get for an object of 31.71, e.g. "
        "'evaluations:assessment_detail': Check(HIDDEN, LOGIN, {'pk': ...}) or "
        "'GET /api/v1/assessments/{id}': Check(HIDDEN, UNAUTHORIZED, ...):\n  " + "\n  ".join(missing)
    )


def test_registry_has_no_stale_entries():
    present = {t.key for t in all_targets()}
    stale = sorted(set(REGISTRY) - present)
    assert not stale, f"REGISTRY names URLs that no longer exist; remove them: {stale}"


def _request(client, target: Target, check: Check, world: World, headers: dict[str, str]):
    kwargs = check.kwargs(world) if callable(check.kwargs) else check.kwargs
    url = target.build(kwargs)
    is_api = url.startswith("/api/")
    send = getattr(client, check.method)
    if check.method == "get":
        return url, send(url, headers=headers)
    if is_api:
        return url, send(url, data=check.data or {}, content_type="application/json", headers=headers)
    return url, send(url, data=check.data or {}, headers=headers)


def _problem(response, expected: Expected, who: str, url: str) -> str | None:
    """None when the response is what the registry allows, else a line saying what went wrong."""
    if expected == LOGIN:
        ok = response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    elif expected == ADMIN_LOGIN:
        ok = response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    else:
        ok = response.status_code in expected
    if ok:
        return None
    where = f" -> {response.get('Location')}" if response.status_code in (301, 302) else ""
    wanted = sorted(expected) if isinstance(expected, frozenset) else expected
    return f"{who} got {response.status_code}{where} from {url}; expected {wanted}"


def _walk(client, world: World, who: str, prepare: Callable[[], dict[str, str]]) -> list[str]:
    """Requests every registered URL as `who` (prepare() signs in and returns headers); lists what went wrong."""
    problems = []
    for target in all_targets():
        check = target.check or REGISTRY.get(target.key)
        if check is None:
            continue  # reported by test_every_url_is_registered
        headers = prepare()
        url, response = _request(client, target, check, world, headers)
        expected = check.outsider if who == OUTSIDER else check.anonymous
        problems.append(_problem(response, expected, who, f"{check.method.upper()} {url}"))
    return [p for p in problems if p]


@pytest.fixture
def world(region_coordinator, outsider):
    from layak.frameworks.services import frameworks_load_all

    make_region("31.71.01")
    frameworks_load_all()
    return World(owner=region_coordinator)


def test_outsider_gets_only_what_the_registry_allows(client, outsider, world):
    raw_key = api_token_create(user=outsider, name="outsider")[1]

    def prepare() -> dict[str, str]:
        client.force_login(outsider)  # again each time: the logout URL ends the session
        return {"Authorization": f"Bearer {raw_key}"}

    problems = _walk(client, world, OUTSIDER, prepare)
    assert not problems, "\n".join(problems)


def test_anonymous_gets_only_what_the_registry_allows(client, world):
    def prepare() -> dict[str, str]:
        client.logout()
        return {}

    problems = _walk(client, world, ANONYMOUS, prepare)
    assert not problems, "\n".join(problems)
