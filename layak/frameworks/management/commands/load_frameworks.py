"""`python manage.py load_frameworks`: loads or updates every framework file in data/frameworks/."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from layak.frameworks.services import LOADED, REFUSED, frameworks_load_all


class Command(BaseCommand):
    help = "Load or update every KLA framework file (*.yaml) in LAYAK_FRAMEWORKS_DIR; refuse malformed files whole."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=None, help="Directory to read instead of LAYAK_FRAMEWORKS_DIR.")

    def handle(self, *args, **options):
        directory = options["dir"] or Path(settings.LAYAK_FRAMEWORKS_DIR)
        results = frameworks_load_all(directory)
        if not results:
            raise CommandError(_("No framework files (*.yaml) found in %(dir)s.") % {"dir": directory})
        for result in results:
            if result.outcome == REFUSED:
                self.stderr.write(self.style.ERROR(_("%(file)s: refused") % {"file": result.file}))
                for problem in result.problems:
                    self.stderr.write(f"  {problem}")
            else:
                label = _("loaded") if result.outcome == LOADED else _("unchanged")
                self.stdout.write(f"{result.file}: {label} ({result.slug})")
        refused = sum(result.outcome == REFUSED for result in results)
        if refused:
            raise CommandError(
                ngettext(
                    "%(count)d framework file refused; nothing of it was written.",
                    "%(count)d framework files refused; none of them was written.",
                    refused,
                )
                % {"count": refused}
            )
