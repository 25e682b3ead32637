"""The per-item rule file (`data/readiness/rules.yaml`): which window and which document kind an item asks.

A rule starts from the file's defaults, takes every wording pattern that matches the item's text, then the entry
written for its framework, indicator and item. Loaded once per process.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

from .checks import Rule

RULES_FILE = Path(settings.BASE_DIR) / "data" / "readiness" / "rules.yaml"
_FIELDS = {f.name: f.type for f in fields(Rule)}


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(_FIELDS)
    if unknown:
        raise ValueError(f"{RULES_FILE.name}: unknown rule fields {sorted(unknown)}")
    return dict(values)


@cache
def _load(path: Path = RULES_FILE) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if data.get("format") != 1:
        raise ValueError(f"{path.name}: format 1 expected")
    data["_patterns"] = [(re.compile(p["match"], re.IGNORECASE), _clean(p["set"])) for p in data.get("patterns", [])]
    return data


def rule_for(framework: str, indicator: str, item: str, wording: str) -> Rule:
    """The rule of one item: defaults, then the wording patterns that match, then the file's own entry."""
    data = _load()
    rule = Rule(**_clean(data.get("defaults", {})))
    for pattern, values in data["_patterns"]:
        if pattern.search(wording):
            rule = replace(rule, **values)
    entry = ((data.get("frameworks") or {}).get(framework) or {}).get(str(indicator)) or {}
    own = entry.get(str(item))
    if own:
        rule = replace(rule, **_clean(own))
    return rule
