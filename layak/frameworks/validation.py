"""Checks a framework file (parsed YAML) completely before anything touches the database.

Every problem is reported with the key path where it sits (`groups[2].indicators[1].elements[0].type`), so a
malformed file can be fixed in one pass. The format is described in `data/frameworks/README.md`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from layak.scoring.engine import MAX_SCORE, validate_rubric
from layak.scoring.instrument import scaled_maxima

from .choices import AnswerType, Certainty, ElementType, VersionStatus

CODE_RE = re.compile(r"^[A-Za-z0-9_]+$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

VERSION_KEYS = {"format", "slug", "name", "name_en", "year", "status", "legal_basis", "description", "description_en"}
VERSION_KEYS |= {"sources"}
VERSION_KEYS |= {"weights", "bands", "groups"}
VERSION_KEYS |= {"default_for_new_cycles", "supersedes", "certainty", "certainty_note", "sums_rule"}
VERSION_OPTIONAL = {"format", "name_en", "description", "description_en", "legal_basis"}
VERSION_OPTIONAL |= {"default_for_new_cycles", "supersedes", "certainty", "certainty_note", "sums_rule"}
GROUP_KEYS = {"code", "name", "name_en", "indicators", "stated_max"}
INDICATOR_KEYS = {"code", "number", "name", "name_en", "description", "description_en", "certainty", "sources"}
INDICATOR_KEYS |= {"max_points"}
INDICATOR_KEYS |= {"responsible_agencies", "elements", "rubric", "questions"}
# Format 2 (a question-level instrument such as kla-2024): indicators carry questions, not elements and rubric.
QUESTION_KEYS = {"code", "type", "max", "text", "data_sources", "years", "matriks", "evidence", "lower_is_better"}
QUESTION_KEYS |= {"kecamatan", "desa", "computed"}
QUESTION_FLAGS = ("matriks", "evidence", "lower_is_better", "kecamatan", "desa")
# The element type a computed key must have to fill a question of each answer type.
QUESTION_COMPUTED_TYPES = {
    AnswerType.YES_NO: ElementType.YES_NO,
    AnswerType.PERCENTAGE: ElementType.PERCENTAGE,
    AnswerType.COUNT: ElementType.COUNT,
    AnswerType.LIST: ElementType.TEXT,
}
ELEMENT_KEYS = {"code", "type", "label", "label_en", "unit", "min", "max", "required", "choices", "denominator"}
ELEMENT_KEYS |= {"evidence", "help", "computed"}
BAND_KEYS = {"code", "name", "name_en", "lower", "upper"}


@dataclass(frozen=True)
class ComputedKey:
    """A value a register app can compute for a kab/kota and a year (`layak.evaluations.prefill`).

    `type` is the element type the value fits; `values` are the values a choice key can give, every one of
    which must be a choice of the element it fills.
    """

    type: str
    meaning: str
    values: tuple[str, ...] = ()


# The status of the RAD KLA, as the plans register computes it and K2's `rad_kla` element offers it.
RAD_STATUS_VALUES = ("integrated", "exists", "none")

# The register each app keeps, as shown on the indicator page ("can be filled from the Gugus Tugas register").
REGISTERS = {
    "taskforces": gettext_lazy("the Gugus Tugas register"),
    "trainings": gettext_lazy("the KHA training register"),
    "plans": gettext_lazy("the RAD KLA and budget register"),
    "partners": gettext_lazy("the partners register"),
    "participation": gettext_lazy("the children's participation register"),
    "facilities": gettext_lazy("the child-friendly facility register"),
    "protection": gettext_lazy("the child-protection figures"),
    "villages": gettext_lazy("the Kelana/Dekela checklists of the districts and villages"),
}

# Every key a data element may name with `computed:`, with the element type it fits and what it means.
KNOWN_COMPUTED_KEYS: dict[str, ComputedKey] = {
    "taskforces.decree_complete": ComputedKey(
        ElementType.YES_NO,
        "The current Gugus Tugas decree is valid for the year and covers kelembagaan and the five clusters, "
        "with members from government, NGOs, business and media.",
    ),
    "taskforces.meetings_per_year": ComputedKey(ElementType.COUNT, "Coordination meetings held in the year."),
    "taskforces.decisions_done_pct": ComputedKey(
        ElementType.PERCENTAGE, "Share of the meeting decisions due in the year that are done."
    ),
    "trainings.kha_trained_staff": ComputedKey(
        ElementType.COUNT, "Government staff of the region trained on the KHA (Bimtek/Diklat)."
    ),
    "plans.rad_status": ComputedKey(ElementType.CHOICE, "Status of the RAD KLA.", RAD_STATUS_VALUES),
    "plans.child_budget_pct": ComputedKey(
        ElementType.PERCENTAGE, "Share of the regional budget (APBD) for children's rights."
    ),
    "partners.apsai_member": ComputedKey(
        ElementType.YES_NO, "A business partner of the region is a member of APSAI (child-friendly businesses)."
    ),
    "partners.ngo_count": ComputedKey(ElementType.COUNT, "Civil-society organisations involved in the year."),
    "partners.business_count": ComputedKey(ElementType.COUNT, "Businesses involved in the year."),
    "partners.media_publications": ComputedKey(ElementType.COUNT, "Media publications on children's rights."),
    "partners.lactation_rooms": ComputedKey(
        ElementType.COUNT, "Lactation rooms in offices, companies and public facilities."
    ),
    "participation.forum_kabkota": ComputedKey(ElementType.YES_NO, "A Forum Anak of the kab/kota exists."),
    "participation.forum_district_pct": ComputedKey(
        ElementType.PERCENTAGE, "Share of the districts (kecamatan) with a Forum Anak."
    ),
    "participation.forum_village_pct": ComputedKey(
        ElementType.PERCENTAGE, "Share of the villages (desa/kelurahan) with a Forum Anak."
    ),
    "participation.musrenbang": ComputedKey(ElementType.YES_NO, "Children's proposals were taken into the Musrenbang."),
    "facilities.sra_percent_tk": ComputedKey(
        ElementType.PERCENTAGE, "Share of the TK/RA schools with a child-friendly school (SRA) decree in force."
    ),
    "facilities.sra_percent_sd": ComputedKey(
        ElementType.PERCENTAGE, "Share of the SD/MI schools with a child-friendly school (SRA) decree in force."
    ),
    "facilities.sra_percent_smp": ComputedKey(
        ElementType.PERCENTAGE, "Share of the SMP/MTs schools with a child-friendly school (SRA) decree in force."
    ),
    "facilities.sra_percent_sma": ComputedKey(
        ElementType.PERCENTAGE, "Share of the SMA/MA/SMK schools with a child-friendly school (SRA) decree in force."
    ),
    "facilities.sra_percent_slb": ComputedKey(
        ElementType.PERCENTAGE, "Share of the SLB schools with a child-friendly school (SRA) decree in force."
    ),
    "facilities.prap_percent": ComputedKey(
        ElementType.PERCENTAGE, "Share of the Puskesmas with a child-friendly service (PRAP) decree in force."
    ),
    "facilities.sra_certified": ComputedKey(ElementType.COUNT, "Child-friendly schools (SRA) with a decree in force."),
    "facilities.prap_certified": ComputedKey(ElementType.COUNT, "Puskesmas with a PRAP decree in force."),
    "facilities.pka_certified": ComputedKey(
        ElementType.COUNT, "Children's creative centres (PKA) with a decree in force."
    ),
    "facilities.rira_certified": ComputedKey(
        ElementType.COUNT, "Child-friendly places of worship (RIRA) with a decree in force."
    ),
    "facilities.pisa_certified_exists": ComputedKey(ElementType.YES_NO, "At least one standardised PISA is in force."),
    "facilities.rbra_certified_exists": ComputedKey(ElementType.YES_NO, "At least one certified RBRA is in force."),
    "facilities.ila_exists": ComputedKey(
        ElementType.YES_NO, "At least one child information service (ILA or PISA) is registered."
    ),
    "facilities.rass_exists": ComputedKey(
        ElementType.YES_NO, "At least one safe route to school (RASS) is registered."
    ),
    "protection.victims_served": ComputedKey(
        ElementType.YES_NO, "The UPTD PPA assisted child victims of violence or exploitation in the year."
    ),
    "protection.violence_victims": ComputedKey(ElementType.COUNT, "Child victims of violence recorded in the year."),
    "protection.uptd_assisted": ComputedKey(ElementType.COUNT, "Children the UPTD PPA assisted in the year."),
    "protection.uptd_referred": ComputedKey(ElementType.COUNT, "Children the UPTD PPA referred in the year."),
    "protection.child_labour_freed": ComputedKey(ElementType.COUNT, "Children withdrawn from child labour."),
    "protection.child_marriage_dispensations": ComputedKey(
        ElementType.COUNT, "Child-marriage dispensations granted in the year."
    ),
    "protection.diversion_attempted_pct": ComputedKey(
        ElementType.PERCENTAGE, "Share of the children in conflict with the law for whom diversion was attempted."
    ),
    "protection.diversion_succeeded_pct": ComputedKey(
        ElementType.PERCENTAGE, "Share of the diversion attempts that succeeded."
    ),
}

# Kelana/Dekela (layak.villages): for each kla-2024 percentage question every kecamatan (25.x) or desa/kelurahan
# (26.x) answers on its checklist, the share of all the kab/kota's kecamatan or desa whose submitted checklist
# answers yes. The key is `villages.<indicator>.<question>`.
KELANA_DEKELA_QUESTIONS = (
    *(f"25.{q}" for q in ("2", "3", "4", "5", "9", "10", "11", "12", "13")),
    *(f"26.{q}" for q in ("2", "3", "4", "5", "6", "7", "10", "12", "14", "15", "16")),
)
for _code in KELANA_DEKELA_QUESTIONS:
    _level = "districts (kecamatan)" if _code.startswith("25.") else "villages (desa/kelurahan)"
    KNOWN_COMPUTED_KEYS[f"villages.{_code}"] = ComputedKey(
        ElementType.PERCENTAGE, f"Share of the {_level} whose checklist answers yes to question {_code}."
    )


def computed_register(key: str) -> str:
    """The register that computes a known key ("the Gugus Tugas register"); "" for no key or an unknown one."""
    return str(REGISTERS[key.partition(".")[0]]) if key in KNOWN_COMPUTED_KEYS else ""


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


class SpecChecker:
    """Walks a parsed framework file and collects `path: problem` strings."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, path: str, problem: str) -> None:
        self.problems.append(f"{path}: {problem}")

    def mapping(self, data: Any, path: str, allowed: set[str], required: set[str]) -> bool:
        if not isinstance(data, Mapping):
            self.add(path or "(top level)", _("expected a mapping of keys, got %(value)r") % {"value": data})
            return False
        prefix = f"{path}." if path else ""
        for key in sorted(required - data.keys()):
            self.add(f"{prefix}{key}", _("missing required key"))
        for key in sorted(set(data) - allowed, key=str):
            self.add(f"{prefix}{key}", _("unknown key (allowed: %(keys)s)") % {"keys": ", ".join(sorted(allowed))})
        return True

    def text(self, data: Mapping, key: str, path: str, *, max_length: int, required: bool = True) -> None:
        if key not in data:
            return
        value = data[key]
        if not isinstance(value, str) or (required and not value.strip()):
            self.add(f"{path}{key}", _("expected non-empty text, got %(value)r") % {"value": value})
        elif len(value) > max_length:
            self.add(f"{path}{key}", _("longer than %(max)d characters") % {"max": max_length})

    def number(self, data: Mapping, key: str, path: str, *, minimum: Decimal | None = None) -> Decimal | None:
        if key not in data:
            return None
        number = _decimal(data[key])
        if number is None:
            self.add(f"{path}{key}", _("expected a number, got %(value)r") % {"value": data[key]})
        elif minimum is not None and number < minimum:
            self.add(f"{path}{key}", _("must be at least %(min)s") % {"min": minimum})
            return None
        return number

    def choice(self, data: Mapping, key: str, path: str, allowed: list[str]) -> None:
        if key in data and data[key] not in allowed:
            self.add(
                f"{path}{key}",
                _("%(value)r is not one of %(allowed)s") % {"value": data[key], "allowed": ", ".join(allowed)},
            )

    def code(self, data: Mapping, key: str, path: str, seen: set[str], *, max_length: int) -> None:
        value = data.get(key)
        if value is None:
            return
        if not isinstance(value, str) or not CODE_RE.match(value) or len(value) > max_length:
            problem = _("expected a code of letters, digits and _ (at most %(max)d), got %(value)r")
            self.add(f"{path}{key}", problem % {"max": max_length, "value": value})
        elif value in seen:
            self.add(f"{path}{key}", _("duplicate code %(value)r") % {"value": value})
        seen.add(value)

    def list_of(self, data: Mapping, key: str, path: str, *, non_empty: bool = True) -> list:
        value = data.get(key, [])
        if not isinstance(value, list):
            self.add(f"{path}{key}", _("expected a list, got %(value)r") % {"value": value})
            return []
        if non_empty and not value and key in data:
            self.add(f"{path}{key}", _("the list is empty"))
        return value


def framework_spec_problems(data: Any) -> list[str]:
    """Every problem in a parsed framework file; empty when it can be loaded."""
    check = SpecChecker()
    if not check.mapping(data, "", VERSION_KEYS, VERSION_KEYS - VERSION_OPTIONAL):
        return check.problems
    _check_version(check, data)
    refs = _check_sources(check, data)
    _check_bands(check, check.list_of(data, "bands", ""))
    total = Decimal(0)
    group_codes: set[str] = set()
    indicator_codes: set[str] = set()
    numbers: set[int] = set()
    question_level = data.get("format") == 2
    scaled: list[str] = []
    for g_index, group in enumerate(check.list_of(data, "groups", "")):
        path = f"groups[{g_index}]"
        if not check.mapping(group, path, GROUP_KEYS, GROUP_KEYS - {"name_en", "stated_max"}):
            continue
        check.code(group, "code", f"{path}.", group_codes, max_length=8)
        check.text(group, "name", f"{path}.", max_length=200)
        check.text(group, "name_en", f"{path}.", max_length=200, required=False)
        check.number(group, "stated_max", f"{path}.", minimum=Decimal(0))
        for i_index, indicator in enumerate(check.list_of(group, "indicators", f"{path}.")):
            where = f"{path}.indicators[{i_index}]"
            if question_level:
                points = _check_question_indicator(check, indicator, where, refs, indicator_codes, numbers)
                if points is not None and _questions_disagree(indicator, points):
                    scaled.append(where)
                total += points or Decimal(0)
            else:
                total += _check_indicator(check, indicator, where, refs, indicator_codes, numbers)
    if scaled and not data.get("sums_rule"):
        problem = _("the questions' maxima do not sum to the indicator's max_points at %(paths)s; explain the rule")
        check.add("sums_rule", problem % {"paths": ", ".join(scaled)})
    if not check.problems and total != MAX_SCORE:
        check.add("groups", _("the indicators' max_points sum to %(total)s, not %(max)s") % _sum_args(total))
    return check.problems


def _sum_args(total: Decimal) -> dict[str, str]:
    return {"total": f"{total.normalize():f}", "max": str(MAX_SCORE)}


def _check_version(check: SpecChecker, data: Mapping) -> None:
    if "format" in data and data["format"] not in (1, 2):
        problem = _("unsupported format %(value)r (this Layak reads formats 1 and 2)")
        check.add("format", problem % {"value": data["format"]})
    for key in ("default_for_new_cycles",):
        if key in data and not isinstance(data[key], bool):
            check.add(key, _("expected true or false, got %(value)r") % {"value": data[key]})
    for index, slug in enumerate(check.list_of(data, "supersedes", "", non_empty=False)):
        if not isinstance(slug, str) or not SLUG_RE.match(slug) or slug == data.get("slug"):
            problem = _("expected the slug of another version, got %(value)r")
            check.add(f"supersedes[{index}]", problem % {"value": slug})
    check.choice(data, "certainty", "", list(Certainty.values))
    check.text(data, "certainty_note", "", max_length=5000)
    check.text(data, "sums_rule", "", max_length=5000)
    if "slug" in data and (not isinstance(data["slug"], str) or not SLUG_RE.match(data["slug"])):
        check.add("slug", _("expected a slug like kla-2021, got %(value)r") % {"value": data["slug"]})
    for key, length in (
        ("name", 200),
        ("name_en", 200),
        ("legal_basis", 300),
        ("description", 5000),
        ("description_en", 5000),
    ):
        check.text(data, key, "", max_length=length, required=key == "name")
    year = data.get("year")
    if "year" in data and (not isinstance(year, int) or isinstance(year, bool) or not 1990 <= year <= 2100):
        check.add("year", _("expected a year between 1990 and 2100, got %(value)r") % {"value": year})
    check.choice(data, "status", "", list(VersionStatus.values))
    weights = data.get("weights")
    if "weights" in data and check.mapping(weights, "weights", {"provisional", "note"}, {"provisional", "note"}):
        if "provisional" in weights and not isinstance(weights["provisional"], bool):
            check.add(
                "weights.provisional", _("expected true or false, got %(value)r") % {"value": weights["provisional"]}
            )
        check.text(weights, "note", "weights.", max_length=5000)


def _check_sources(check: SpecChecker, data: Mapping) -> set[Any]:
    refs: set[Any] = set()
    for index, source in enumerate(check.list_of(data, "sources", "")):
        path = f"sources[{index}]"
        if check.mapping(source, path, {"ref", "title", "url"}, {"ref", "title", "url"}):
            if source.get("ref") in refs:
                check.add(f"{path}.ref", _("duplicate source reference %(value)r") % {"value": source.get("ref")})
            refs.add(source.get("ref"))
            check.text(source, "title", f"{path}.", max_length=500)
            url = source.get("url")
            if "url" in source and not (isinstance(url, str) and url.startswith(("http://", "https://"))):
                check.add(f"{path}.url", _("expected an http(s) address, got %(value)r") % {"value": url})
    return refs


def _check_bands(check: SpecChecker, bands: list) -> None:
    codes: set[str] = set()
    previous: tuple[Decimal, str] | None = None
    for index, band in enumerate(bands):
        path = f"bands[{index}]"
        if not check.mapping(band, path, BAND_KEYS, BAND_KEYS - {"name_en"}):
            return
        check.code(band, "code", f"{path}.", codes, max_length=20)
        check.text(band, "name", f"{path}.", max_length=60)
        lower = check.number(band, "lower", f"{path}.", minimum=Decimal(0))
        upper = check.number(band, "upper", f"{path}.", minimum=Decimal(0))
        if lower is None or upper is None:
            return
        if upper < lower or upper > MAX_SCORE:
            check.add(
                f"{path}.upper", _("must be between lower (%(lower)s) and %(max)s") % {"lower": lower, "max": MAX_SCORE}
            )
        if previous and not previous[0] < lower <= previous[0] + 1:
            problem = _("bands must be ordered and contiguous: %(lower)s does not follow %(code)s ending at %(upper)s")
            check.add(f"{path}.lower", problem % {"lower": lower, "code": previous[1], "upper": previous[0]})
        previous = (upper, band.get("code"))
    if previous and previous[0] != MAX_SCORE:
        check.add("bands", _("the last band must end at %(max)s") % {"max": MAX_SCORE})


def _check_indicator(
    check: SpecChecker, indicator: Any, path: str, refs: set, codes: set[str], numbers: set[int]
) -> Decimal:
    """Checks one indicator and returns its max_points (0 when unreadable)."""
    required = INDICATOR_KEYS - {"name_en", "description", "description_en", "responsible_agencies", "questions"}
    if not check.mapping(indicator, path, INDICATOR_KEYS - {"questions"}, required):
        return Decimal(0)
    prefix = f"{path}."
    check.code(indicator, "code", prefix, codes, max_length=12)
    number = indicator.get("number")
    if "number" in indicator and (not isinstance(number, int) or isinstance(number, bool) or number < 1):
        check.add(f"{prefix}number", _("expected a positive whole number, got %(value)r") % {"value": number})
    elif number in numbers:
        check.add(f"{prefix}number", _("duplicate number %(value)r") % {"value": number})
    numbers.add(number)
    check.text(indicator, "name", prefix, max_length=400)
    check.text(indicator, "name_en", prefix, max_length=400, required=False)
    check.text(indicator, "description", prefix, max_length=5000, required=False)
    check.text(indicator, "description_en", prefix, max_length=5000, required=False)
    check.choice(indicator, "certainty", prefix, list(Certainty.values))
    for index, ref in enumerate(check.list_of(indicator, "sources", prefix, non_empty=False)):
        if ref not in refs:
            check.add(f"{prefix}sources[{index}]", _("%(value)r is not in the file's sources list") % {"value": ref})
    for index, agency in enumerate(check.list_of(indicator, "responsible_agencies", prefix, non_empty=False)):
        if not isinstance(agency, str):
            check.add(f"{prefix}responsible_agencies[{index}]", _("expected text, got %(value)r") % {"value": agency})
    elements = _check_elements(check, check.list_of(indicator, "elements", prefix), prefix)
    _check_rubric(check, indicator, prefix, elements)
    return check.number(indicator, "max_points", prefix, minimum=Decimal(0)) or Decimal(0)


def _check_elements(check: SpecChecker, elements: list, prefix: str) -> dict[str, Mapping]:
    seen: set[str] = set()
    found: dict[str, Mapping] = {}
    for index, element in enumerate(elements):
        path = f"{prefix}elements[{index}]"
        if not check.mapping(element, path, ELEMENT_KEYS, {"code", "type", "label"}):
            continue
        where = f"{path}."
        check.code(element, "code", where, seen, max_length=60)
        check.choice(element, "type", where, list(ElementType.values))
        check.text(element, "label", where, max_length=400)
        check.text(element, "label_en", where, max_length=400, required=False)
        check.text(element, "unit", where, max_length=40, required=False)
        check.text(element, "evidence", where, max_length=400, required=False)
        low, high = check.number(element, "min", where), check.number(element, "max", where)
        if low is not None and high is not None and low > high:
            check.add(f"{where}max", _("must not be below min (%(min)s)") % {"min": low})
        if "required" in element and not isinstance(element["required"], bool):
            check.add(f"{where}required", _("expected true or false, got %(value)r") % {"value": element["required"]})
        _check_choices(check, element, where)
        _check_computed(check, element, where)
        if isinstance(element.get("code"), str):
            found[element["code"]] = element
    for index, element in enumerate(elements):
        denominator = element.get("denominator") if isinstance(element, Mapping) else None
        if denominator is not None and (
            found.get(denominator, {}).get("type") != "count" or element.get("type") != "count"
        ):
            check.add(
                f"{prefix}elements[{index}].denominator",
                _("%(value)r must name another count element of this indicator") % {"value": denominator},
            )
    return found


def _check_choices(check: SpecChecker, element: Mapping, where: str) -> None:
    if element.get("type") != ElementType.CHOICE:
        if "choices" in element:
            check.add(f"{where}choices", _("only elements of type choice have choices"))
        return
    choices = check.list_of(element, "choices", where)
    if not choices:
        check.add(f"{where}choices", _("a choice element needs a list of choices"))
    values: set[str] = set()
    for index, choice in enumerate(choices):
        path = f"{where}choices[{index}]"
        if check.mapping(choice, path, {"value", "label", "label_en"}, {"value", "label"}):
            check.code(choice, "value", f"{path}.", values, max_length=60)
            check.text(choice, "label", f"{path}.", max_length=200)


def _check_computed(check: SpecChecker, element: Mapping, where: str) -> None:
    """`computed` must be a known key whose value fits the element's type (and, for a choice, its choices)."""
    if "computed" not in element:
        return
    key = element["computed"]
    known = KNOWN_COMPUTED_KEYS.get(key) if isinstance(key, str) else None
    if known is None:
        problem = _("unknown computed value %(value)r (known: %(keys)s)")
        check.add(f"{where}computed", problem % {"value": key, "keys": ", ".join(sorted(KNOWN_COMPUTED_KEYS))})
    elif element.get("type") != known.type:
        problem = _("%(key)s computes a %(computed)s value; it cannot fill an element of type %(type)s")
        check.add(f"{where}computed", problem % {"key": key, "computed": known.type, "type": element.get("type")})
    elif known.values:
        offered = {choice.get("value") for choice in element.get("choices", []) if isinstance(choice, Mapping)}
        missing = [value for value in known.values if value not in offered]
        if missing:
            problem = _("%(key)s can give %(values)s; add the missing choices %(missing)s")
            args = {"key": key, "values": ", ".join(known.values), "missing": ", ".join(missing)}
            check.add(f"{where}choices", problem % args)


def _check_rubric(check: SpecChecker, indicator: Mapping, prefix: str, elements: dict[str, Mapping]) -> None:
    rubric = check.list_of(indicator, "rubric", prefix)
    if not rubric or not all(isinstance(item, Mapping) for item in rubric):
        if rubric:
            check.add(f"{prefix}rubric", _("every criterion must be a mapping"))
        return
    types = {code: str(element.get("type")) for code, element in elements.items()}
    for problem in validate_rubric(rubric, types):
        where, _colon, text = problem.partition(": ")
        if where.startswith("["):
            check.add(f"{prefix}rubric{where}", text)
        else:
            check.add(f"{prefix}rubric", problem)
    for index, criterion in enumerate(rubric):
        element = elements.get(criterion.get("element"), {})
        if criterion.get("method") == "choice" and isinstance(criterion.get("points"), Mapping):
            known = {c.get("value") for c in element.get("choices", []) if isinstance(c, Mapping)}
            for value in set(criterion["points"]) - known:
                check.add(f"{prefix}rubric[{index}].points.{value}", _("is not a choice of the element"))


# --- Format 2: question-level instruments ------------------------------------------------------------------------


def _check_question_indicator(
    check: SpecChecker, indicator: Any, path: str, refs: set, codes: set[str], numbers: set[int]
) -> Decimal | None:
    """Checks one indicator of a question-level file; returns its max_points (None when unreadable)."""
    required = {"code", "number", "name", "certainty", "sources", "max_points", "questions"}
    allowed = INDICATOR_KEYS - {"elements", "rubric"}
    if not check.mapping(indicator, path, allowed, required):
        return None
    prefix = f"{path}."
    check.code(indicator, "code", prefix, codes, max_length=12)
    number = indicator.get("number")
    if "number" in indicator and (not isinstance(number, int) or isinstance(number, bool) or number < 1):
        check.add(f"{prefix}number", _("expected a positive whole number, got %(value)r") % {"value": number})
    elif number in numbers:
        check.add(f"{prefix}number", _("duplicate number %(value)r") % {"value": number})
    numbers.add(number)
    check.text(indicator, "name", prefix, max_length=400)
    check.text(indicator, "name_en", prefix, max_length=400, required=False)
    check.text(indicator, "description", prefix, max_length=5000, required=False)
    check.choice(indicator, "certainty", prefix, list(Certainty.values))
    for index, ref in enumerate(check.list_of(indicator, "sources", prefix, non_empty=False)):
        if ref not in refs:
            check.add(f"{prefix}sources[{index}]", _("%(value)r is not in the file's sources list") % {"value": ref})
    seen: set[str] = set()
    for index, question in enumerate(check.list_of(indicator, "questions", prefix)):
        _check_question(check, question, f"{prefix}questions[{index}]", seen)
    return check.number(indicator, "max_points", prefix, minimum=Decimal(0))


def _check_question(check: SpecChecker, question: Any, path: str, seen: set[str]) -> None:
    if not check.mapping(question, path, QUESTION_KEYS, {"code", "type", "max", "text"}):
        return
    where = f"{path}."
    check.code(question, "code", where, seen, max_length=12)
    check.choice(question, "type", where, list(AnswerType.values))
    check.number(question, "max", where, minimum=Decimal(0))
    check.text(question, "text", where, max_length=5000)
    for index, agency in enumerate(check.list_of(question, "data_sources", where, non_empty=False)):
        if not isinstance(agency, str) or not agency.strip():
            check.add(f"{where}data_sources[{index}]", _("expected an agency name, got %(value)r") % {"value": agency})
    for flag in QUESTION_FLAGS:
        if flag in question and not isinstance(question[flag], bool):
            check.add(f"{where}{flag}", _("expected true or false, got %(value)r") % {"value": question[flag]})
    years = question.get("years", 1)
    if not isinstance(years, int) or isinstance(years, bool) or not 1 <= years <= 5:
        check.add(f"{where}years", _("expected a number of years from 1 to 5, got %(value)r") % {"value": years})
    elif years > 1 and question.get("type") not in (AnswerType.PERCENTAGE, AnswerType.COUNT):
        check.add(f"{where}years", _("only percentage and count questions ask for several years"))
    if "computed" in question:
        key = question["computed"]
        known = KNOWN_COMPUTED_KEYS.get(key) if isinstance(key, str) else None
        wanted = QUESTION_COMPUTED_TYPES.get(question.get("type"))
        if known is None:
            problem = _("unknown computed value %(value)r (known: %(keys)s)")
            check.add(f"{where}computed", problem % {"value": key, "keys": ", ".join(sorted(KNOWN_COMPUTED_KEYS))})
        elif known.type != wanted:
            problem = _("%(key)s computes a %(computed)s value; it cannot fill a question of type %(type)s")
            args = {"key": key, "computed": known.type, "type": question.get("type")}
            check.add(f"{where}computed", problem % args)


def _questions_disagree(indicator: Mapping, points: Decimal) -> bool:
    """True when the indicator's questions' maxima do not sum to its max_points (the loader then scales them)."""
    maxima = [_decimal(q.get("max")) for q in indicator.get("questions", []) if isinstance(q, Mapping)]
    if any(value is None for value in maxima):
        return False
    return sum((value for value in maxima if value is not None), Decimal(0)) != points


def question_maxima(indicator: Mapping) -> list[Decimal]:
    """The points each question of a (valid) format-2 indicator counts for: the instrument's maxima, scaled to
    the indicator's max_points when they disagree (`layak.scoring.instrument.scaled_maxima`)."""
    stated = [Decimal(str(question["max"])) for question in indicator["questions"]]
    return scaled_maxima(stated, Decimal(str(indicator["max_points"])))
