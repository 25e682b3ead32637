"""Demo Kelana/Dekela of Kota Banjarmasin (63.71): its real kecamatan and kelurahan, a camat and two kelurahan
operators (invited and joined through the real flow), and a few checklists answered — all "data contoh".

Runs after the evaluations demo (it needs a cycle on the kla-2024 framework); a re-run adds nothing.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from layak.accounts.choices import Role
from layak.accounts.models import RoleAssignment, User
from layak.accounts.services import DEMO_PASSWORD, DemoLogin
from layak.common import spreadsheets
from layak.regions.models import Region

from . import selectors, services
from .models import Checklist
from .provisioning import COLUMNS

REGION = "63.71"
COORDINATOR = "dp3a_banjarmasin"
# (username, full name) of the demo operators: the camat of the first kecamatan, two of its kelurahan.
OPERATORS = [
    ("camat_demo", "Camat contoh (data contoh)"),
    ("kelurahan_demo1", "Operator kelurahan contoh 1 (data contoh)"),
    ("kelurahan_demo2", "Operator kelurahan contoh 2 (data contoh)"),
]
# The answers of the demo checklists: True/False per question in order, cycling.
PATTERNS = [(True, True, False), (True, False, True, True), (False, True)]


def _areas(region: Region) -> list[Region]:
    kecamatan = Region.objects.filter(parent=region).order_by("code").first()
    if kecamatan is None:
        return []
    return [kecamatan, *Region.objects.filter(parent=kecamatan).order_by("code")[:4]]


def _invite_and_join(user: User, region: Region, areas: list[Region]) -> None:
    rows = [
        [a.code, "", a.name, name, f"{username}@contoh.layak.id", ""]
        for a, (username, name) in zip(areas[: len(OPERATORS)], OPERATORS, strict=True)
    ]
    upload = SimpleUploadedFile(
        "operator.xlsx", spreadsheets.build_template(title="Operator", columns=COLUMNS, examples=rows, lists={})
    )
    issued = services.operators_provision(user=user, region=region, upload=upload)
    for item, (username, _name) in zip(issued, OPERATORS, strict=True):
        services.invitation_redeem(code=item.code, username=username, password=DEMO_PASSWORD)


def _answer(cycle, area: Region, user: User, pattern: tuple[bool, ...], *, submit: bool) -> Checklist | None:
    questions = selectors.checklist_questions(cycle=cycle, level=area.level)
    for i, question in enumerate(questions):
        value = pattern[i % len(pattern)]
        services.checklist_answer_save(
            user=user, cycle=cycle, region=area, question=question, value=value, note="data contoh", is_demo=True
        )
    return services.checklist_submit(user=user, cycle=cycle, region=area) if submit else None


def seed_demo_data(*, stdout) -> None:
    """The demo operators and checklists, once."""
    region = Region.objects.filter(code=REGION).first()
    coordinator = User.objects.filter(username=COORDINATOR).first()
    cycle = selectors.village_cycle_current()
    if region is None or coordinator is None or cycle is None:
        stdout.write("Kelana/Dekela demo skipped: Kota Banjarmasin, its coordinator or a kla-2024 cycle is missing.")
        return
    if Checklist.objects.filter(kabkota=region, is_demo=True).exists():
        stdout.write("Kelana/Dekela demo: already there.")
        return
    areas = _areas(region)
    if len(areas) < 4:
        stdout.write("Kelana/Dekela demo skipped: the kecamatan and kelurahan of Kota Banjarmasin are not loaded.")
        return
    if not User.objects.filter(username=OPERATORS[0][0]).exists():
        _invite_and_join(coordinator, region, areas)
    camat = User.objects.get(username=OPERATORS[0][0])
    first, second = (User.objects.get(username=u) for u, _n in OPERATORS[1:])
    _answer(cycle, areas[0], camat, PATTERNS[0], submit=True)
    verified = _answer(cycle, areas[1], first, PATTERNS[1], submit=True)
    services.checklist_verify(user=coordinator, checklist=verified)
    _answer(cycle, areas[2], second, PATTERNS[2], submit=True)
    _answer(cycle, areas[3], coordinator, PATTERNS[0], submit=False)
    stdout.write(f"Kelana/Dekela demo: {len(OPERATORS)} operators of {region.name}, 4 checklists (data contoh).")


def demo_logins() -> list[DemoLogin]:
    """The demo operators for the logins table `seed_demo` prints: they join through an invitation, so the accounts
    app's own list does not know them. Only those that exist (the demo may have been skipped)."""
    assignments = (
        RoleAssignment.objects.filter(user__username__in=[username for username, _name in OPERATORS])
        .select_related("user", "region")
        .order_by("user__username")
    )
    return [
        DemoLogin(a.user.username, str(Role(a.role).label), a.region.name if a.region else "", created=False)
        for a in assignments
    ]
