"""`python manage.py seed_demo`: demo OPDs and users with roles in real regions, printed as a logins table."""

import importlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from layak.accounts.services import DEMO_PASSWORD, demo_seed

# Apps that add demo content after the users exist, in this order. Each may have a `demo.py` with
# `seed_demo_data(*, stdout) -> None`: idempotent, and every record it makes is labelled as demo data.
DEMO_APPS = [
    "layak.evaluations",
    "layak.evidence",
    "layak.reviews",
    "layak.taskforces",
    "layak.trainings",
    "layak.plans",
    "layak.partners",
    "layak.participation",
    "layak.dashboards",
    "layak.protection",
    "layak.facilities",
    "layak.readiness",
    "layak.villages",
]


def _app_demo_seeders():
    for app in DEMO_APPS:
        try:
            module = importlib.import_module(f"{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.demo":
                raise
            continue
        yield module.seed_demo_data, getattr(module, "demo_logins", None)


class Command(BaseCommand):
    help = "Creates demo agencies and users (idempotent; needs load_regions first). Refused when DEBUG is off."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Create the demo accounts even with DEBUG off (they all share one known password).",
        )

    def handle(self, *args, allow_production: bool = False, **options):
        try:
            logins = demo_seed(allow_production=allow_production)
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        app_logins = []
        for seed, more_logins in _app_demo_seeders():
            seed(stdout=self.stdout)
            if more_logins is not None:  # users an app's demo creates through its own flow (invitations)
                app_logins += more_logins()
        created = sum(login.created for login in logins)
        self.stdout.write(f"Demo data: {created} user(s) created, {len(logins) - created} already there.")
        logins += app_logins
        self.stdout.write(f"Demo logins (password for new accounts: {DEMO_PASSWORD}; a changed password is kept):")
        rows = [("username", "password", "role", "region")]
        rows += [(login.username, DEMO_PASSWORD, login.role_label, login.region_name) for login in logins]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for n, row in enumerate(rows):
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write(("  " + "  ".join(cells)).rstrip())
            if n == 0:
                self.stdout.write("  " + "  ".join("-" * width for width in widths))
