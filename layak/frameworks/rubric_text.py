"""The rubric of an indicator in plain words, for the public framework browser."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from layak.common.numbers import format_number
from layak.scoring.engine import criteria_from_rubric

from .models import DataElement, Indicator

CENTS = Decimal("0.01")


@dataclass(frozen=True)
class RubricLine:
    """One criterion explained: which element, how many points at most, and how they are earned."""

    element: str
    max_points: Decimal
    how: str


def _number(value: Any) -> str:
    return format_number(Decimal(str(value)))


def _percent(fraction: Any) -> str:
    return f"{format_number(Decimal(str(fraction)) * 100)}%"


def _steps(bands: list, unit: str, symbol: str) -> str:
    return "; ".join(f"{symbol} {_number(threshold)}{unit}: {_percent(fraction)}" for threshold, fraction in bands)


def _choice_label(choice: dict) -> str:
    if choice.get("label_en") and translation.get_language() == "en":
        return str(choice["label_en"])
    return str(choice.get("label", ""))


def _how(method: str, params: dict, element: DataElement | None, labels: dict[str, str]) -> str:
    raw_unit = element.display_unit if element else ""
    unit = "%" if raw_unit == "%" else (f" {raw_unit}" if raw_unit else "")
    if method == "yes_no":
        return _("All points when the answer is yes.")
    if method == "present":
        return _("All points when the text is filled in or the evidence is attached.")
    if method == "choice":
        names = {c.get("value"): _choice_label(c) for c in (element.choices if element else [])}
        options = "; ".join(f"{names.get(v, v)}: {_percent(f)}" for v, f in params.get("points", {}).items())
        return _("Share of the points by answer: %(options)s.") % {"options": options}
    if method == "bands_up":
        return _("Higher is better. Share of the points: %(steps)s.") % {"steps": _steps(params["bands"], unit, "≥")}
    if method == "bands_down":
        return _("Lower is better. Share of the points: %(steps)s.") % {"steps": _steps(params["bands"], unit, "≤")}
    denominator = labels.get(params.get("denominator"), params.get("denominator"))
    text = _("As a percentage of “%(denominator)s”, higher is better. Share of the points: %(steps)s.") % {
        "denominator": denominator,
        "steps": _steps(params["bands"], "%", "≥"),
    }
    if "not_applicable" in params:
        text += " " + _("When “%(denominator)s” is 0: %(share)s of the points.") % {
            "denominator": denominator,
            "share": _percent(params["not_applicable"]),
        }
    return text


def rubric_describe(indicator: Indicator) -> list[RubricLine]:
    """Each criterion of the indicator's rubric with its maximum points and a sentence on how they are earned.

    Uses the prefetched `elements` of the indicator.
    """
    elements = {element.code: element for element in indicator.elements.all()}
    labels = {code: element.display_label for code, element in elements.items()}
    return [
        RubricLine(
            element=labels.get(criterion.element, criterion.element),
            max_points=(criterion.share * indicator.max_points).quantize(CENTS),
            how=_how(criterion.method, dict(criterion.params), elements.get(criterion.element), labels),
        )
        for criterion in criteria_from_rubric(indicator.rubric)
    ]
