import io

from layak.accounts.choices import Role
from layak.accounts.tests.factories import make_user_with_role
from layak.villages.demo import demo_logins, seed_demo_data
from layak.villages.models import Checklist

from .factories import kla2024_cycle, make_subtree


def test_demo_answers_a_few_real_kelurahan_of_banjarmasin_once(db):
    make_subtree("63.71")
    make_user_with_role("dp3a_banjarmasin", Role.REGION_COORDINATOR, "63.71")
    kla2024_cycle()
    seed_demo_data(stdout=io.StringIO())
    demo = Checklist.objects.filter(kabkota_id="63.71")
    assert demo.count() == 4 and all(c.is_demo for c in demo)
    assert demo.filter(submitted_at__isnull=False).count() == 3 and demo.filter(verified_at__isnull=False).count() == 1
    from layak.accounts.models import User

    assert User.objects.get(username="kelurahan_demo1").check_password("layak-demo")
    seed_demo_data(stdout=io.StringIO())
    assert Checklist.objects.filter(kabkota_id="63.71").count() == 4
    # The logins table of `make run` lists them too (they join by invitation, outside the accounts app's list).
    assert [login.username for login in demo_logins()] == ["camat_demo", "kelurahan_demo1", "kelurahan_demo2"]
    assert all(login.region_name and login.role_label for login in demo_logins())


def test_demo_is_skipped_without_a_kla2024_cycle(db):
    out = io.StringIO()
    seed_demo_data(stdout=out)
    assert "skipped" in out.getvalue()


def test_no_operator_logins_without_the_demo(db):
    assert demo_logins() == []
