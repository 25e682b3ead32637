"""Shared pieces of the outsider harness (tests/test_outsider_everywhere.py).

An app registers what the outsider (coordinator of Kota Banjarmasin, 63.71) and an anonymous visitor must get
from each of its URLs in `layak/<app>/tests/outsider.py`, as `CHECKS: dict[str, Check]`. Sample objects belong
to Kota Administrasi Jakarta Pusat (31.71); a `kwargs` function receives the harness's World, whose `owner` is
that region's coordinator.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps

PUBLIC = frozenset({200})
HIDDEN = frozenset({403, 404})
UNAUTHORIZED = frozenset({401})
REDIRECT = frozenset({302})
LOGIN = "302 to the login page"
ADMIN_LOGIN = "302 to the admin login page"
OUTSIDER = "the outsider"
ANONYMOUS = "an anonymous visitor"

Expected = frozenset[int] | str


@dataclass(frozen=True)
class Check:
    """What the outsider and an anonymous visitor must get from one URL, and how to build and call it."""

    outsider: Expected
    anonymous: Expected
    kwargs: dict[str, Any] | Callable[[Any], dict[str, Any]] = field(default_factory=dict)  # f(world) allowed
    method: str = "get"
    data: dict[str, Any] | None = None


def app_outsider_checks() -> dict[str, Check]:
    """The CHECKS of every Layak app that has a tests/outsider.py module."""
    checks: dict[str, Check] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("layak."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.outsider")
        except ModuleNotFoundError:
            continue
        checks.update(module.CHECKS)
    return checks
