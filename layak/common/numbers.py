"""Numbers as people write and read them, in Bahasa Indonesia and in English: one reader, one set of formats.

Every number a person types (forms, the Excel import's text cells, the API's string values) goes through
`read_number`, and every number a person reads (pages, charts, PDFs, CSV/Excel headers and notes) comes from the
`format_*` functions here or the template filters built on them (`{% load layak %}`).

How a typed number is read (the one rule, also in the user guide):

1. Spaces (also non-breaking and thin spaces) between digit groups are ignored, and so are a leading "Rp" in a
   money field and a trailing "%" in a percentage field.
2. With both "." and "," in it, the LAST of the two marks decimals and the other groups thousands:
   "1.234,5" and "1,234.5" are both 1234.5 in either language.
3. One kind of mark used more than once groups thousands: "1.234.567" and "1,234,567" are 1234567.
4. One mark used once, NOT followed by exactly three digits, marks decimals: "12,5", "1234.5" and "0,75".
5. One mark used once and followed by exactly three digits ("250.000", "1,500") is read as the page's
   language writes it: in Indonesian a dot groups thousands and a comma marks decimals (250.000 = 250000,
   1,500 = 1.5); in English the other way round (250.000 = 250, 1,500 = 1500). Such a value is "ambiguous":
   when it does not fit the field (out of range, or decimals in a count) the message says how it was read and
   how to write the other reading.
6. Digit groups after the first must have exactly three digits ("1.23.456" is refused), a count never has
   decimals, and nothing else (letters, "1e5", "NaN", two signs) is a number.

Formats: Indonesian writes 1.234,5 and English 1,234.5; scores have two decimals (806,66), changes carry their
sign (+14,00 and -6,00 with a true minus sign), percentages one decimal (13,5%), sizes one decimal (1,0 MB),
dates "3 Des 2026 14.02".
CSV files are for programs: their numbers are plain (a dot for decimals, no grouping) in every language.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

MINUS = "\u2212"
SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
DIGITS = re.compile(r"\d+")
LIMIT = Decimal("1e15")  # larger than any budget in rupiah; refuses typing accidents such as a pasted ID number


@dataclass(frozen=True)
class Marks:
    """The decimal mark and the thousands mark of a language."""

    decimal: str
    group: str


MARKS = {"id": Marks(",", "."), "en": Marks(".", ",")}


def language() -> str:
    """The active language reduced to the ones Layak formats ("id" unless English is active)."""
    return "en" if (translation.get_language() or "id").startswith("en") else "id"


def marks(lang: str | None = None) -> Marks:
    return MARKS[lang or language()]


class NumberError(ValueError):
    """A text that is not a number as the field expects it; `message` says why and what to write instead."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Reading:
    """How a typed text was read: its value, and whether rule 5 (a mark before exactly three digits) decided."""

    text: str
    value: Decimal
    ambiguous: bool = False
    decimals_marked: bool = False


def _example(lang: str) -> str:
    return "1.234,5" if lang == "id" else "1,234.5"


def not_a_number(text: str, lang: str | None = None) -> NumberError:
    lang = lang or language()
    return NumberError(
        _("“%(text)s” is not a number. Write it like %(example)s or 1234.")
        % {"text": text[:40], "example": _example(lang)}
    )


def _strip(text: str, *, money: bool, percent: bool) -> str:
    text = SPACES.sub(" ", text.strip())
    if money and text[:2].lower() == "rp":
        text = text[2:].lstrip(" .")
    if percent and text.endswith("%"):
        text = text[:-1]
    return text.strip()


def _grouped(parts: list[str]) -> bool:
    """True when digit groups after the first have three digits each (and the first has one to three)."""
    return 1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])


def _could_group(before: str) -> bool:
    """True when the digits before a single mark could be the first group of thousands ("250", not "0" or
    "1234" or "1 250", where the mark can only mark decimals)."""
    return 1 <= len(before) <= 3 and before.isdigit() and not before.startswith("0")


def _split_sign(text: str) -> tuple[str, str]:
    if text[:1] in {"-", MINUS, "+"}:
        return ("-" if text[0] != "+" else ""), text[1:].lstrip()
    return "", text


def _integer_part(body: str, original: str, lang: str) -> str:
    """The digits of a part that may use spaces, or one kind of mark, to group thousands."""
    for mark in (" ", ".", ","):
        if mark in body:
            parts = body.split(mark)
            if not all(DIGITS.fullmatch(p) for p in parts) or not _grouped(parts):
                raise not_a_number(original, lang)
            return "".join(parts)
    if not DIGITS.fullmatch(body):
        raise not_a_number(original, lang)
    return body


def read_number(text: str, *, lang: str | None = None, money: bool = False, percent: bool = False) -> Reading:
    """Reads a typed number by the rule in this module's docstring; raises NumberError when it is not one."""
    lang = lang or language()
    original = str(text)
    sign, body = _split_sign(_strip(original, money=money, percent=percent))
    if not body:
        raise not_a_number(original, lang)
    dots, commas = body.count("."), body.count(",")
    decimal_mark, ambiguous = None, False
    if dots and commas:  # rule 2
        decimal_mark = "." if body.rfind(".") > body.rfind(",") else ","
        if body.count(decimal_mark) > 1:
            raise not_a_number(original, lang)
    elif dots + commas == 1:
        mark = "." if dots else ","
        before, after = body.split(mark)
        if len(after) == 3 and after.isdigit() and _could_group(before):  # rule 5
            ambiguous = True
            decimal_mark = mark if mark == marks(lang).decimal else None
        else:  # rule 4
            decimal_mark = mark
    whole, _sep, fraction = body.partition(decimal_mark) if decimal_mark else (body, "", "")
    if decimal_mark and not DIGITS.fullmatch(fraction):
        raise not_a_number(original, lang)
    digits = _integer_part(whole, original, lang) if whole else "0"
    try:
        value = Decimal(f"{sign}{digits}.{fraction}" if fraction else f"{sign}{digits}")
    except InvalidOperation:
        raise not_a_number(original, lang) from None
    if abs(value) >= LIMIT:
        raise NumberError(_("“%(text)s” is too large to be right; check the number.") % {"text": original[:40]})
    return Reading(original, value, ambiguous, bool(decimal_mark))


def parse_number(
    value: object, *, lang: str | None = None, integer: bool = False, money: bool = False, percent: bool = False
) -> Decimal:
    """A number from typed text (by the rule above) or from a number; NumberError with a message otherwise.

    `integer` refuses decimals, saying how the text was read ("1,000" is 1 in Indonesian, not one thousand).
    """
    if isinstance(value, bool):
        raise not_a_number(str(value), lang)
    if isinstance(value, int | Decimal | float):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise not_a_number(str(value), lang) from None
        if not number.is_finite() or abs(number) >= LIMIT:
            raise not_a_number(str(value), lang)
        reading = Reading(str(value), number)
    else:
        reading = read_number(str(value), lang=lang, money=money, percent=percent)
    if integer and reading.value != reading.value.to_integral_value():
        raise NumberError(decimals_in_count_message(reading, lang), code="integer")
    if integer and reading.decimals_marked and reading.ambiguous:
        raise NumberError(decimals_in_count_message(reading, lang), code="integer")
    return reading.value


def how_read(reading: Reading, lang: str | None = None) -> str:
    """A sentence saying how an ambiguous text was read, and how to write the other reading ("" otherwise)."""
    if not reading.ambiguous:
        return ""
    lang = lang or language()
    values = {
        "text": reading.text.strip()[:40],
        "value": format_number(reading.value, lang=lang, grouping=False),
        "other": format_number(_other_reading(reading), lang=lang, grouping=False),
    }
    if lang == "id":
        return (
            _(
                "“%(text)s” was read as %(value)s: in Indonesian a dot groups thousands and a comma marks "
                "decimals. If you meant %(other)s, write %(other)s."
            )
            % values
        )
    return (
        _(
            "“%(text)s” was read as %(value)s: in English a comma groups thousands and a dot marks decimals. "
            "If you meant %(other)s, write %(other)s."
        )
        % values
    )


def with_reading(problem: str, raw: object, *, money: bool = False, percent: bool = False) -> str:
    """A refusal followed by how an ambiguous text was read: "Enter 100 or less. “12.500” was read as 12500 ..."."""
    if not isinstance(raw, str):
        return problem
    try:
        explained = how_read(read_number(raw, money=money, percent=percent))
    except NumberError:
        return problem
    return f"{problem} {explained}" if explained else problem


def _other_reading(reading: Reading) -> Decimal:
    """The value under the other language's convention (only for rule 5: one mark before three digits)."""
    text = reading.text.strip()
    whole, fraction = re.split(r"[.,]", text)[-2:]
    digits = re.sub(r"\D", "", whole)
    other = Decimal(digits + fraction) if reading.decimals_marked else Decimal(f"{digits}.{fraction}")
    return -other if reading.value < 0 else other


def decimals_in_count_message(reading: Reading, lang: str | None = None) -> str:
    message = _("Enter a whole number: “%(text)s” has decimals.") % {"text": reading.text.strip()[:40]}
    explained = how_read(reading, lang)
    return f"{message} {explained}" if explained else message


# --- Formatting ----------------------------------------------------------------------------------------------


def _decimal(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def format_number(
    value: object, places: int | None = None, *, lang: str | None = None, grouping: bool = True, plus: bool = False
) -> str:
    """A number as the language writes it: 1.234,5 (Indonesian) or 1,234.5 (English).

    `places` fixes the number of decimals (rounded half up); None shows as many as the value has, without
    trailing zeros. A negative number gets a true minus sign; `plus` writes + before a positive one.
    """
    if value is None or value == "":
        return ""
    number = _decimal(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    elif number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    m = marks(lang)
    negative = number < 0 and number != 0
    whole, _sep, fraction = format(abs(number), "f").partition(".")
    if grouping:
        whole = f"{int(whole):,}".replace(",", m.group)
    text = whole + (m.decimal + fraction if fraction else "")
    sign = MINUS if negative else ("+" if plus and number > 0 else "")
    return sign + text


def format_score(value: object, *, lang: str | None = None) -> str:
    """A score with two decimals: 806,66 (Indonesian), 806.66 (English); "—" when there is none."""
    return "—" if value is None else format_number(value, 2, lang=lang)


def format_points(value: object, *, lang: str | None = None) -> str:
    """Points of an indicator or a maximum: as many decimals as needed (27,5 or 50)."""
    return "—" if value is None else format_number(value, None if _decimal(value) % 1 else 0, lang=lang)


def format_delta(value: object, places: int = 2, *, lang: str | None = None) -> str:
    """A change with its sign: +14,00, -6,00 (written with a true minus sign), 0,00; "" when there is none."""
    return "" if value is None else format_number(value, places, lang=lang, plus=True)


def format_fraction(value: object, maximum: object, *, lang: str | None = None) -> str:
    """A score out of its maximum: "164,53 / 200"."""
    return f"{format_score(value, lang=lang)} / {format_points(maximum, lang=lang)}"


def format_percent(value: object, places: int = 1, *, lang: str | None = None) -> str:
    """A percentage given as 0-100: "13,5%" (Indonesian writes the sign next to the number, as English does)."""
    return "—" if value is None else f"{format_number(value, places, lang=lang)}%"


def format_share(value: object, places: int = 1, *, lang: str | None = None) -> str:
    """A share given as 0-1 as a percentage: 0.135 -> "13,5%"."""
    return "—" if value is None else format_percent(_decimal(value) * 100, places, lang=lang)


SIZE_UNITS = ("B", "KB", "MB", "GB", "TB")


def format_filesize(size: object, *, lang: str | None = None) -> str:
    """A file size in the largest unit under 1024 of it, one decimal above bytes: "1,0 MB", "512 B"."""
    if size is None:
        return "—"
    number, unit = _decimal(size), 0
    while abs(number) >= 1024 and unit < len(SIZE_UNITS) - 1:
        number, unit = number / 1024, unit + 1
    text = format_number(number, 0 if unit == 0 else 1, lang=lang)
    return f"{text}\u00a0{SIZE_UNITS[unit]}"


def format_size_progress(done: object, total: object, *, lang: str | None = None) -> str:
    """ "1,0 MB dari 3,0 MB" / "1.0 MB of 3.0 MB"."""
    return _("%(done)s of %(total)s") % {
        "done": format_filesize(done, lang=lang),
        "total": format_filesize(total, lang=lang),
    }


DATE_FORMATS = {"id": ("j M Y", "j M Y H.i"), "en": ("j M Y", "j M Y H:i")}


def format_date(value: datetime.date | datetime.datetime | None, *, lang: str | None = None) -> str:
    """A day as people write it: "3 Des 2026" (Indonesian), "3 Dec 2026" (English)."""
    if value is None:
        return "—"
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    with translation.override(lang or language()):
        return date_format(value, DATE_FORMATS[lang or language()][0])


def format_datetime(value: datetime.datetime | None, *, lang: str | None = None) -> str:
    """A moment in the site's time zone: "3 Des 2026 14.02" (Indonesian), "3 Dec 2026 14:02" (English)."""
    if value is None:
        return "—"
    if not isinstance(value, datetime.datetime):
        return format_date(value, lang=lang)
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    with translation.override(lang or language()):
        return date_format(local, DATE_FORMATS[lang or language()][1])


def plain_number(value: object) -> str:
    """A number for programs (CSV): a dot for decimals, no grouping and no exponent, in every language; the
    stored decimals are kept (a score 700.00 stays "700.00")."""
    if value is None or value == "":
        return ""
    return format(_decimal(value), "f")
