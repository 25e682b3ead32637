"""`python manage.py recompute_scores [--cycle ID] [--dry-run]`: recompute every score snapshot in bulk."""

from django.core.management.base import BaseCommand, CommandError

from layak.evaluations.models import Cycle
from layak.reviews.recompute import scores_recompute


class Command(BaseCommand):
    help = "Recomputes the score snapshots of submitted assessments from their answers, evidence and reviewer scores."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, help="Only this cycle (its id).")
        parser.add_argument("--dry-run", action="store_true", help="Compute and count, write nothing.")
        parser.add_argument("--batch-size", type=int, default=250, help="Assessments per batch (default 250).")

    def handle(self, *args, cycle=None, dry_run=False, batch_size=250, **options):
        chosen = None
        if cycle is not None:
            chosen = Cycle.objects.filter(pk=cycle).first()
            if chosen is None:
                raise CommandError(f"No cycle has the id {cycle}.")
        report = scores_recompute(cycle=chosen, dry_run=dry_run, batch_size=batch_size)
        prefix = "Dry run: would have" if dry_run else "Recomputed:"
        self.stdout.write(
            f"{prefix} {report.assessments} assessment(s); snapshots {report.created} created, "
            f"{report.updated} updated ({report.changed} with a different total); {report.finals} final result(s)."
        )
