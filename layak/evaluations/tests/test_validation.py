"""Property tests: out-of-range values are always refused, valid ones always accepted and stored exactly."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from layak.evaluations.scoring_input import values_for_engine
from layak.evaluations.validation import values_clean, values_missing
from layak.frameworks.models import DataElement


def element(code, type_, **extra):
    return DataElement(code=code, type=type_, label=code, **extra)


PCT = element("pct", "percentage")
COUNT = element("count", "count")
RATE = element("rate", "rate")
TOTAL = element("total", "count")
PART = element("part", "count", denominator="total")
BOUNDED = element("bounded", "count", min_value=Decimal(1), max_value=Decimal(500))
YES = element("yes", "yes_no")
CHOICE = element("choice", "choice", choices=[{"value": "full", "label": "Lengkap"}, "partial"])
DOC = element("doc", "document")
ELEMENTS = [PCT, COUNT, RATE, TOTAL, PART, BOUNDED, YES, CHOICE, DOC]

decimals = st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-(10**9), max_value=10**9)


@given(decimals.filter(lambda d: d < 0 or d > 100))
def test_percentage_outside_0_to_100_is_always_refused(value):
    cleaned, errors = values_clean(ELEMENTS, {"pct": value})
    assert "pct" in errors and "pct" not in cleaned


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_percentage_within_0_to_100_is_always_accepted_exactly(value):
    cleaned, errors = values_clean(ELEMENTS, {"pct": str(value)})
    assert errors == {}
    assert Decimal(cleaned["pct"]) == value


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=10**6))
def test_numerator_above_denominator_is_always_refused(total, excess):
    _cleaned, errors = values_clean(ELEMENTS, {"total": total, "part": total + excess})
    assert "part" in errors


@given(st.integers(min_value=0, max_value=10**9), st.data())
def test_numerator_up_to_denominator_is_always_accepted(total, data):
    part = data.draw(st.integers(min_value=0, max_value=total))
    cleaned, errors = values_clean(ELEMENTS, {"total": str(total), "part": part})
    assert errors == {}
    assert cleaned == {"total": str(total), "part": str(part)}


@given(st.integers(max_value=-1))
def test_negative_counts_are_always_refused(value):
    assert "count" in values_clean(ELEMENTS, {"count": value})[1]


@given(decimals.filter(lambda d: d != d.to_integral_value()))
def test_fractional_counts_are_always_refused(value):
    assert "count" in values_clean(ELEMENTS, {"count": value})[1]


@given(st.integers(min_value=-(10**6), max_value=10**6))
def test_bounds_of_the_element_are_enforced(value):
    _cleaned, errors = values_clean(ELEMENTS, {"bounded": value})
    assert ("bounded" in errors) == (not 1 <= value <= 500)


@given(
    st.fixed_dictionaries(
        {
            "pct": st.decimals(min_value=0, max_value=100, places=1),
            "count": st.integers(min_value=0, max_value=10**6),
            "rate": st.decimals(min_value=0, max_value=10**6, places=2),
            "yes": st.booleans(),
            "choice": st.sampled_from(["full", "partial"]),
        }
    ),
    st.booleans(),
)
def test_valid_answers_are_always_accepted_and_typed_for_the_engine(raw, has_evidence):
    cleaned, errors = values_clean(ELEMENTS, raw)
    assert errors == {}
    typed = values_for_engine(ELEMENTS, cleaned, evidence=["doc"] if has_evidence else [])
    assert typed["pct"] == raw["pct"] and typed["count"] == raw["count"] and typed["yes"] is raw["yes"]
    assert typed["doc"] is has_evidence


@given(st.sampled_from([True, False, "yes", "ada", "1"]))
def test_a_document_value_cannot_be_typed_only_proven_by_evidence(value):
    cleaned, errors = values_clean(ELEMENTS, {"doc": value})
    assert cleaned == {} and errors["doc"].startswith("A document is proven by evidence")


def test_messages_say_what_to_enter():
    _cleaned, errors = values_clean(ELEMENTS, {"pct": "abc", "yes": "maybe", "choice": "x", "rate": "NaN"})
    assert errors == {
        "pct": "“abc” is not a number. Write it like 1,234.5 or 1234.",
        "yes": "Choose yes or no.",
        "choice": "Choose one of the listed options.",
        "rate": "“NaN” is not a number. Write it like 1,234.5 or 1234.",
    }


def test_indonesian_decimal_comma_is_understood():
    assert values_clean(ELEMENTS, {"pct": "12,5"}) == ({"pct": "12.5"}, {})


def test_blank_values_are_left_out_and_unknown_codes_refused():
    cleaned, errors = values_clean(ELEMENTS, {"pct": "", "count": None, "ghost": "1"})
    assert cleaned == {}
    assert list(errors) == ["ghost"]


def test_missing_lists_empty_required_data_and_documents_without_evidence():
    required = element("req", "count", required=True)
    missing = values_missing([required, YES, DOC], {"yes": False}, evidence=[])
    assert [(e.code, action) for e, action in missing] == [("req", "enter the data"), ("doc", "attach the evidence")]
    assert values_missing([required, DOC], {"req": "0"}, evidence=["doc"]) == []
