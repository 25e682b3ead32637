"""The number reader and the formats: round trips in both languages and the documented ambiguous cases."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from layak.common import numbers
from layak.common.numbers import NumberError, format_number, parse_number, read_number

LANGS = st.sampled_from(["id", "en"])
DECIMALS = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, places=4)


@given(value=DECIMALS, lang=LANGS, grouping=st.booleans())
def test_a_formatted_number_reads_back_as_the_same_value(value, lang, grouping):
    assert read_number(format_number(value, lang=lang, grouping=grouping), lang=lang).value == value


@given(value=st.integers(min_value=0, max_value=10**12), lang=LANGS)
def test_a_formatted_count_reads_back_as_a_count(value, lang):
    assert parse_number(format_number(value, lang=lang), lang=lang, integer=True) == value


@given(value=DECIMALS, places=st.integers(0, 3), lang=LANGS)
def test_rounding_to_places_reads_back_within_half_a_unit(value, places, lang):
    shown = read_number(format_number(value, places, lang=lang), lang=lang).value
    assert abs(shown - value) <= Decimal(1).scaleb(-places) / 2


@given(text=st.text(max_size=12), lang=LANGS)
def test_any_text_is_read_or_refused_with_a_message(text, lang):
    with translation.override(lang):
        try:
            read_number(text, lang=lang)
        except NumberError as exc:
            assert exc.message


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("1.234,5", "id", "1234.5"),
        ("1234.5", "id", "1234.5"),
        ("1,234.5", "id", "1234.5"),
        ("250.000", "id", "250000"),
        ("12.500", "id", "12500"),
        ("1,5", "id", "1.5"),
        ("1.234.567", "id", "1234567"),
        ("1 234,5", "id", "1234.5"),
        ("0,75", "id", "0.75"),
        ("1,234.5", "en", "1234.5"),
        ("1.234,5", "en", "1234.5"),
        ("250.000", "en", "250"),
        ("1,500", "en", "1500"),
        ("-3,2", "en", "-3.2"),
        ("\u22123,2", "id", "-3.2"),
    ],
)
def test_the_documented_readings(text, lang, value):
    assert read_number(text, lang=lang).value == Decimal(value)


@pytest.mark.parametrize("text", ["abc", "1e5", "NaN", "1.23.456", "1,2.5", "5,", "--3", "1.234,5,6", ""])
def test_what_is_not_a_number_is_refused(text):
    with pytest.raises(NumberError):
        read_number(text, lang="id")


def test_rupiah_and_percent_signs_are_read_only_where_they_belong():
    assert read_number("Rp 250.000", lang="id", money=True).value == 250000
    assert read_number("12,5 %", lang="id", percent=True).value == Decimal("12.5")
    with pytest.raises(NumberError):
        read_number("Rp 250.000", lang="id")


def test_a_count_refuses_a_decimal_comma_and_says_how_it_was_read():
    with translation.override("en"), pytest.raises(NumberError) as exc:
        parse_number("1,000", lang="id", integer=True)
    assert "was read as 1" in exc.value.message
    assert "write 1000" in exc.value.message


def test_an_ambiguous_reading_is_explained_in_both_directions():
    with translation.override("en"):
        reading = read_number("12.500", lang="id")
        assert reading.ambiguous
        assert numbers.how_read(reading, "id").endswith("If you meant 12,5, write 12,5.")
        reading = read_number("12.500", lang="en")
        assert numbers.how_read(reading, "en").endswith("If you meant 12500, write 12500.")
        assert numbers.how_read(read_number("1234.5", lang="id"), "id") == ""


def test_formats_of_scores_changes_fractions_sizes_and_percentages():
    assert numbers.format_score(Decimal("806.66"), lang="id") == "806,66"
    assert numbers.format_score(Decimal("806.66"), lang="en") == "806.66"
    assert numbers.format_delta(Decimal("14"), lang="id") == "+14,00"
    assert numbers.format_delta(Decimal("-6"), lang="en") == "\u22126.00"
    assert numbers.format_fraction(Decimal("164.53"), 200, lang="id") == "164,53 / 200"
    assert numbers.format_fraction(Decimal("20"), Decimal("27.5"), lang="en") == "20.00 / 27.5"
    assert numbers.format_filesize(1024 * 1024, lang="id") == "1,0\u00a0MB"
    assert numbers.format_filesize(512, lang="en") == "512\u00a0B"
    assert numbers.format_percent(Decimal("13.5"), lang="id") == "13,5%"
    assert numbers.format_share(0.135, lang="en") == "13.5%"
    assert numbers.format_number(250000, lang="id") == "250.000"
    assert numbers.plain_number(Decimal("1234.50")) == "1234.50"
    assert numbers.plain_number(Decimal("1E+3")) == "1000"


def test_size_progress_reads_in_the_language():
    with translation.override("id"):
        assert numbers.format_size_progress(1024 * 1024, 3 * 1024 * 1024) == "1,0\u00a0MB dari 3,0\u00a0MB"
