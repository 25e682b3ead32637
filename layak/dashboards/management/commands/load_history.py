"""`python manage.py load_history`: published KLA results (data/history/*.yaml) into the history tables."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from layak.dashboards.services import history_load


class Command(BaseCommand):
    help = "Loads the published KLA award history with its sources (idempotent; needs load_regions first)."

    def handle(self, *args, **options):
        try:
            result = history_load()
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"Published history: {result.national} award years, {result.regions} kab/kota results "
            f"({result.written} written, {result.removed} removed)."
        )
