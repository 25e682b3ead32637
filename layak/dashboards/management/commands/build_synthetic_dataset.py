"""`python manage.py build_synthetic_dataset --yes`: SYNTHETIC results for every kab/kota in 6 cycles (load tests)."""

from django.core.management.base import BaseCommand, CommandError

from layak.dashboards.synthetic import synthetic_dataset_build


class Command(BaseCommand):
    help = (
        "Creates 6 published cycles named SYNTHETIC with fully answered assessments, final snapshots and results "
        "for every kab/kota (needs load_regions and load_frameworks). For load tests only; never run by default."
    )

    def add_arguments(self, parser):
        parser.add_argument("--yes", action="store_true", help="Really create the synthetic data in this database.")
        parser.add_argument("--framework", default="kla-2021", help="Framework version slug (default kla-2021).")

    def handle(self, *args, yes: bool = False, framework: str = "kla-2021", **options):
        if not yes:
            raise CommandError(
                "This fills the database with SYNTHETIC results for load tests. Run it only on a throw-away "
                "database, with --yes."
            )
        result = synthetic_dataset_build(framework_slug=framework)
        self.stdout.write(
            f"SYNTHETIC data: {result.cycles} cycles, {result.assessments} assessments, {result.answers} answers."
        )
