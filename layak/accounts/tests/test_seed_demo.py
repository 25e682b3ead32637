from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from layak.accounts.choices import Role
from layak.accounts.models import Agency, RoleAssignment, User
from layak.accounts.services import DEMO_PASSWORD, DEMO_REGION_CODES, DEMO_USERS
from layak.regions.tests.factories import make_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_regions():
    for code in DEMO_REGION_CODES:
        make_region(code)


def _seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def test_seed_demo_creates_the_demo_users_agencies_and_prints_their_logins(settings, demo_regions):
    settings.DEBUG = True
    output = _seed()
    assert User.objects.count() == len(DEMO_USERS)
    assert Agency.objects.filter(region_id="31.71", short_name="Disdukcapil").exists()
    assert RoleAssignment.objects.filter(
        user__username="dinkes_banjarmasin", role=Role.OPD_CONTRIBUTOR, region_id="63.71", agency__short_name="Dinkes"
    ).exists()
    admin = User.objects.get(username="admin_kemenpppa")
    assert admin.is_staff and admin.is_superuser and admin.check_password(DEMO_PASSWORD)
    assert "dp3a_mojokerto" in output and "Kota Mojokerto" in output and DEMO_PASSWORD in output


def test_seed_demo_twice_changes_nothing_and_keeps_changed_passwords(settings, demo_regions):
    settings.DEBUG = True
    _seed()
    user = User.objects.get(username="dp3a_jakpus")
    user.set_password("Password-Saya-Sendiri")
    user.full_name = "Ibu Sari"
    user.save()
    counts = (User.objects.count(), Agency.objects.count(), RoleAssignment.objects.count())
    output = _seed()
    assert (User.objects.count(), Agency.objects.count(), RoleAssignment.objects.count()) == counts
    user.refresh_from_db()
    assert user.check_password("Password-Saya-Sendiri")
    assert user.full_name == "Ibu Sari"
    assert "0 user(s) created" in output


def test_seed_demo_is_refused_when_debug_is_off(settings, demo_regions):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-production"):
        _seed()
    assert not User.objects.exists()


def test_seed_demo_with_allow_production_runs_when_debug_is_off(settings, demo_regions):
    settings.DEBUG = False
    _seed(allow_production=True)
    assert User.objects.filter(username="verifikator_dki", roles__region_id="31").exists()


def test_seed_demo_without_regions_says_to_run_load_regions(settings):
    settings.DEBUG = True
    make_region("31.71")
    with pytest.raises(CommandError, match="load_regions") as excinfo:
        _seed()
    assert "63.71" in str(excinfo.value)
    assert not User.objects.exists()
