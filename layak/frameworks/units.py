"""Units of the frameworks' data elements in words of the page's language (the data files write them in
Indonesian)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# The units the frameworks use (written in Indonesian in the data files), in words of the page's language.
UNITS = {
    "orang": _("people"),
    "anak": _("children"),
    "bayi": _("babies"),
    "rapat": _("meetings"),
    "lembaga": _("institutions"),
    "publikasi": _("publications"),
    "persalinan": _("deliveries"),
    "perkara": _("cases (court)"),
    "kasus": _("cases"),
    "satuan pendidikan": _("schools and learning centres"),
    "sekolah": _("schools"),
    "perkawinan": _("marriages"),
    "kebijakan": _("policies"),
    "dokumen": _("documents"),
    "fasilitas": _("facilities"),
    "perusahaan": _("companies"),
    "tempat": _("places"),
    "ruang": _("spaces"),
    "jenis kawasan": _("kinds of area"),
    "per 1.000 kelahiran hidup": _("per 1,000 live births"),
}


def unit_label(unit: str) -> str:
    """A unit in the page's language ("orang" -> "people" in English); names such as "LKSA" or "%" stay."""
    return str(UNITS.get(unit, unit))
