"""The readiness checks: what a verifier will mark down in an answer and its documents, found before submission.

Written once, here; each check is a pure function of one answered item (a question of the instrument, or a data
element of an indicator-level framework) and a context (the region, the evaluation year, the region names, the
register values). What a check asks of an item comes from the item's `Rule` (rules.py: the rule file plus the
wording of the question). Each check has a plain explanation and how to fix it (`CHECKS`), and the share of the
item's points a verifier usually withholds when the problem stays (`at_risk`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .facts import Facts

DECREE = "decree"


@dataclass(frozen=True)
class Rule:
    """What one item asks of its evidence (from the rule file and the item's wording)."""

    asks_matriks: bool = False
    years: int = 0  # how many recent years of data the item asks ("2 tahun terakhir": 2)
    percentage: bool = False
    document_kind: str = ""  # "decree": an SK whose period must cover the evaluation year
    window_years: int = 2  # a document dated more than this many years before the evaluation year is old
    total_element: str = ""  # the answer a MATRIKS's total must equal ("" = the item's own number)


@dataclass(frozen=True)
class Document:
    """One evidence item attached to an answer, with the facts found in its file (None for a link)."""

    evidence_id: int
    title: str
    sha256: str = ""
    facts: Facts | None = None


@dataclass
class Item:
    """One answered item: its key ("K2/gt_decree", "2/1"), rule, typed value and attached documents."""

    key: str
    indicator_code: str
    code: str
    label: str
    rule: Rule
    value: Any = None
    values: Mapping[str, Any] = field(default_factory=dict)
    provenance: Mapping[str, Any] | None = None
    documents: list[Document] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    """What every check may read: the evaluation year, this region's name, every kab/kota name, register values."""

    year: int
    region_name: str
    region_names: frozenset[str]
    registers: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """One problem a check found in an item (`evidence_id` when it is about one document)."""

    check: str
    item_key: str
    evidence_id: int | None = None
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Check:
    code: str
    title: Promise
    explanation: Promise  # formatted with the finding's params
    fix: Promise
    at_risk: Decimal  # share of the item's points a verifier usually withholds
    run: Callable[[Item, Context], list[Finding]] | None = None


def _matriks_missing(item: Item, ctx: Context) -> list[Finding]:
    if not item.rule.asks_matriks:
        return []
    if any(doc.facts and doc.facts.is_matriks for doc in item.documents):
        return []
    if any("matriks" in doc.title.lower() or "matrix" in doc.title.lower() for doc in item.documents):
        return []
    return [Finding("matriks_missing", item.key)]


def _ratio_basis_missing(item: Item, ctx: Context) -> list[Finding]:
    if not item.rule.percentage or item.value in (None, ""):
        return []
    if any(doc.facts and doc.facts.has_ratio_basis for doc in item.documents):
        return []
    return [Finding("ratio_basis_missing", item.key)]


def _years_missing(item: Item, ctx: Context) -> list[Finding]:
    if item.rule.years < 2:
        return []
    recent = set(range(ctx.year - item.rule.years, ctx.year + 1))
    found: set[int] = set()
    for doc in item.documents:
        if doc.facts:
            found |= doc.facts.years & recent
    for key in item.values:
        if key.isdigit() and int(key) in recent and item.values[key] not in (None, ""):
            found.add(int(key))
    if len(found) >= item.rule.years:
        return []
    return [Finding("years_missing", item.key, params={"asked": item.rule.years, "found": len(found)})]


_UNREADABLE_WHY = {
    "empty": _("the file is empty"),
    "encrypted": _("the file is protected with a password"),
    "image_only": _("the file is a scan with no text in it (an image only)"),
    "unreadable": _("the file is damaged or cannot be opened"),
    "unsupported": _("the file is of a kind that cannot be read as a document"),
}


def _unreadable(item: Item, ctx: Context) -> list[Finding]:
    found = []
    for doc in item.documents:
        if doc.facts is None:
            continue
        if doc.facts.status != "ok" and doc.facts.status != "too_large":
            found.append(
                Finding("unreadable", item.key, doc.evidence_id, {"title": doc.title, "status": doc.facts.status})
            )
    return found


def _blank_pages(item: Item, ctx: Context) -> list[Finding]:
    return [
        Finding(
            "blank_pages",
            item.key,
            doc.evidence_id,
            {"title": doc.title, "blank": doc.facts.blank_pages, "pages": doc.facts.pages},
        )
        for doc in item.documents
        if doc.facts and doc.facts.readable and doc.facts.blank_pages
    ]


def _decree_expired(item: Item, ctx: Context) -> list[Finding]:
    found = []
    for doc in item.documents:
        facts = doc.facts
        if facts is None or not facts.readable or not facts.periods:
            continue
        if item.rule.document_kind != DECREE and not facts.is_decree:
            continue
        if any(start <= ctx.year <= end for start, end in facts.periods):
            continue
        start, end = max(facts.periods, key=lambda period: period[1])
        found.append(
            Finding(
                "decree_expired",
                item.key,
                doc.evidence_id,
                {"title": doc.title, "start": start, "end": end, "year": ctx.year},
            )
        )
    return found


def _dated_outside(item: Item, ctx: Context) -> list[Finding]:
    found = []
    for doc in item.documents:
        facts = doc.facts
        if facts is None or not facts.readable or facts.periods:
            continue  # a document with a period is judged by its period (decree_expired)
        year = facts.document_year
        if year is None:
            continue
        if ctx.year - item.rule.window_years <= year <= ctx.year + 1:
            continue
        found.append(
            Finding(
                "dated_outside",
                item.key,
                doc.evidence_id,
                {"title": doc.title, "doc_year": year, "first": ctx.year - item.rule.window_years, "last": ctx.year},
            )
        )
    return found


def named_regions(mentions: Iterable[str], names: frozenset[str]) -> set[str]:
    """The kab/kota names among the mentions: the longest leading words of each that is a region's name."""
    found = set()
    for mention in mentions:
        words = mention.split()
        for size in range(len(words), 1, -1):
            candidate = " ".join(words[:size])
            if candidate in names:
                found.add(candidate)
                break
    return found


def _other_region(item: Item, ctx: Context) -> list[Finding]:
    found = []
    for doc in item.documents:
        if doc.facts is None or not doc.facts.readable:
            continue
        named = named_regions(doc.facts.regions, ctx.region_names)
        if not named or ctx.region_name in named:
            continue
        others = ", ".join(sorted(name.title() for name in named)[:3])
        found.append(Finding("other_region", item.key, doc.evidence_id, {"title": doc.title, "others": others}))
    return found


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def claimed_total(item: Item) -> Decimal | None:
    """The number the item's MATRIKS must add up to: the element the rule names, else the item's own value."""
    if item.rule.total_element:
        return _number(item.values.get(item.rule.total_element))
    return _number(item.value)


def _matriks_total(item: Item, ctx: Context) -> list[Finding]:
    claimed = claimed_total(item)
    if claimed is None or item.rule.percentage:
        return []
    found = []
    for doc in item.documents:
        facts = doc.facts
        if facts is None or not facts.readable or not facts.totals:
            continue
        total = facts.totals[-1]
        if total != claimed:
            found.append(
                Finding(
                    "matriks_total",
                    item.key,
                    doc.evidence_id,
                    {"title": doc.title, "total": _plain(total), "answer": _plain(claimed)},
                )
            )
    return found


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _register_mismatch(item: Item, ctx: Context) -> list[Finding]:
    if not item.provenance:
        return []
    key = str(item.provenance.get("key", ""))
    if not key or key not in ctx.registers:
        return []
    register, typed = ctx.registers[key], item.value
    a, b = _number(register), _number(typed)
    same = a == b if a is not None and b is not None else register == typed
    if same:
        return []
    return [Finding("register_mismatch", item.key, params={"register": str(register), "answer": str(typed)})]


def contradictory_reuse(items: Sequence[Item]) -> list[Finding]:
    """The same file proving two answers that disagree: two different totals, or a yes and a no."""
    by_file: dict[str, list[tuple[Item, Document]]] = {}
    for item in items:
        for doc in item.documents:
            if doc.sha256:
                by_file.setdefault(doc.sha256, []).append((item, doc))
    found = []
    for uses in by_file.values():
        if len(uses) < 2:
            continue
        claims = [(item, doc, _claim(item)) for item, doc in uses]
        claims = [(item, doc, claim) for item, doc, claim in claims if claim is not None]
        for item, doc, claim in claims:
            other = next(
                (o for o, _d, c in claims if o.key != item.key and type(c) is type(claim) and c != claim), None
            )
            if other is not None:
                found.append(
                    Finding(
                        "contradictory_reuse",
                        item.key,
                        doc.evidence_id,
                        {"title": doc.title, "other": other.label[:120], "answer": str(claim)},
                    )
                )
    return found


def _claim(item: Item) -> bool | Decimal | None:
    if isinstance(item.value, bool):
        return item.value
    if item.rule.percentage:
        return None
    return claimed_total(item)


CHECKS: dict[str, Check] = {
    check.code: check
    for check in (
        Check(
            "matriks_missing",
            _("MATRIKS missing"),
            _("The question asks for a MATRIKS and none of the attached documents is one."),
            _("Fill in the question's MATRIKS (the table the instrument asks for) and attach it."),
            Decimal("0.5"),
            _matriks_missing,
        ),
        Check(
            "ratio_basis_missing",
            _("Percentage without its counts"),
            _("A percentage is given, but no document shows the number counted and the total it is divided by."),
            _("Attach the data behind the percentage: the count (numerator) and the total (denominator)."),
            Decimal("0.5"),
            _ratio_basis_missing,
        ),
        Check(
            "years_missing",
            _("Years missing"),
            _("The question asks for the last %(asked)s years; the answer and its documents cover %(found)s."),
            _("Add the data of each year asked, for example one column per year in the MATRIKS."),
            Decimal("0.5"),
            _years_missing,
        ),
        Check(
            "unreadable",
            _("Document cannot be read"),
            _("“%(title)s” cannot be read: %(why)s."),
            _("Upload the document again as a PDF with its text (not a photo of a printout), without a password."),
            Decimal("1"),
            _unreadable,
        ),
        Check(
            "blank_pages",
            _("Blank pages"),
            _("“%(title)s” has %(blank)s blank pages out of %(pages)s."),
            _("Scan the document again and check every page before uploading it."),
            Decimal("0.25"),
            _blank_pages,
        ),
        Check(
            "decree_expired",
            _("Decree period does not cover the year"),
            _(
                "“%(title)s” is for the period %(start)s–%(end)s, which does not cover the evaluation year "  # noqa: RUF001
                "%(year)s."
            ),
            _("Attach the decree in force in %(year)s (a renewed SK), or the decree that extends this one."),
            Decimal("1"),
            _decree_expired,
        ),
        Check(
            "dated_outside",
            _("Document dated outside the period asked"),
            _("“%(title)s” is dated %(doc_year)s; the question asks for documents from %(first)s to %(last)s."),
            _("Attach the document of the period asked."),
            Decimal("0.5"),
            _dated_outside,
        ),
        Check(
            "other_region",
            _("Document of another region"),
            _("“%(title)s” names %(others)s and not this region."),
            _("Attach this region's own document; a neighbour's example does not count."),
            Decimal("1"),
            _other_region,
        ),
        Check(
            "matriks_total",
            _("MATRIKS total differs from the answer"),
            _("The total in “%(title)s” is %(total)s, but the answer says %(answer)s."),
            _("Correct the answer or the MATRIKS so that both give the same number."),
            Decimal("0.5"),
            _matriks_total,
        ),
        Check(
            "contradictory_reuse",
            _("One file, two different answers"),
            _("“%(title)s” is also the proof of “%(other)s”, where it backs a different answer (here: %(answer)s)."),
            _("Check which answer is right and attach the document that proves each one."),
            Decimal("0.5"),
            None,
        ),
        Check(
            "register_mismatch",
            _("Differs from the register"),
            _("The answer (%(answer)s) differs from the register it was taken from (now %(register)s)."),
            _("Take the register's value again, or correct the register."),
            Decimal("0.5"),
            _register_mismatch,
        ),
    )
}


def run_checks(items: Sequence[Item], ctx: Context, enabled: Iterable[str] | None = None) -> list[Finding]:
    """Every finding of the enabled checks (all when `enabled` is None) over the items, item by item."""
    allowed = set(CHECKS) if enabled is None else set(enabled)
    found: list[Finding] = []
    for item in items:
        for check in CHECKS.values():
            if check.run is not None and check.code in allowed:
                found += check.run(item, ctx)
    if "contradictory_reuse" in allowed:
        found += contradictory_reuse(items)
    return found


def describe(finding: Finding) -> tuple[str, str]:
    """The finding's explanation and fix in the active language."""
    check = CHECKS[finding.check]
    params = dict(finding.params)
    if "status" in params:  # stored as a code, worded in the reader's language
        params["why"] = _UNREADABLE_WHY.get(str(params["status"]), _UNREADABLE_WHY["unreadable"])
    try:
        return str(check.explanation) % params, str(check.fix) % params
    except (KeyError, TypeError, ValueError):
        return str(check.title), str(check.fix)
