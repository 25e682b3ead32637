import io

from layak.accounts.choices import Role
from layak.accounts.tests.factories import make_user_with_role
from layak.protection.demo import REGIONS, seed_demo_data
from layak.protection.models import JumpFlag, Report
from layak.regions.tests.factories import make_region


def test_demo_figures_are_marked_as_example_data_flag_a_jump_and_keep_a_correction(db):
    for code in REGIONS:
        make_region(code)
    make_user_with_role("admin_kemenpppa", Role.NATIONAL_ADMIN)
    seed_demo_data(stdout=io.StringIO())
    assert Report.objects.exists() and not Report.objects.filter(is_demo=False).exists()
    assert JumpFlag.objects.filter(report__region_id="31.75", report__topic="violence", cell="victims").exists()
    assert Report.objects.filter(version=2, topic="child_labour", region_id="31.75").exists()
    out = io.StringIO()
    seed_demo_data(stdout=out)
    assert "already there" in out.getvalue()
