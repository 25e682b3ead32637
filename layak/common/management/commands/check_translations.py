"""Fails when a user-facing string has no Indonesian translation or the compiled catalogue is stale."""

from __future__ import annotations

from pathlib import Path

import polib
from django.conf import settings
from django.core.management import BaseCommand, CommandError, call_command

IGNORE = [".venv/*", "node_modules/*", "static/vendor/*", "staticfiles/*", "bench/*", "tests/*", "*/tests/*"]


class Command(BaseCommand):
    help = "Extracts every translatable string and checks that locale/id has a current translation for each."

    def handle(self, *args, **options) -> None:
        po_path = Path(settings.LOCALE_PATHS[0]) / "id" / "LC_MESSAGES" / "django.po"
        problems = self._untranslated_after_extraction(po_path) + self._stale_mo(po_path)
        if problems:
            raise CommandError("Translations are incomplete (run `make messages`):\n" + "\n".join(problems))
        self.stdout.write(self.style.SUCCESS("Every string has an Indonesian translation."))

    def _untranslated_after_extraction(self, po_path: Path) -> list[str]:
        # makemessages always writes into the project's own locale folder, so the catalogue is put back
        # exactly as it was afterwards: this command checks, it never changes the repository.
        original = po_path.read_bytes()
        try:
            call_command("makemessages", locale=["id"], ignore_patterns=IGNORE, no_obsolete=True, verbosity=0)
            catalogue = polib.pofile(str(po_path))
        finally:
            po_path.write_bytes(original)
        missing = catalogue.untranslated_entries() + catalogue.fuzzy_entries()
        return [f"  untranslated: {e.msgid!r} ({', '.join(f for f, _ in e.occurrences[:2])})" for e in missing]

    def _stale_mo(self, po_path: Path) -> list[str]:
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists():
            return ["  locale/id/LC_MESSAGES/django.mo is missing"]
        po = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(po_path)).translated_entries()}
        mo = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(mo_path))}
        mo.pop((None, ""), None)
        plural_free_po = {k: v for k, v in po.items() if v}
        plural_free_mo = {k: v for k, v in mo.items() if v}
        if plural_free_po != plural_free_mo:
            return ["  django.mo does not match django.po: compile it with `make messages`"]
        return []
