import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from layak.accounts.choices import Role
from layak.accounts.models import RoleAssignment, User
from layak.audit.models import AuditEvent
from layak.common.spreadsheets import ImportRejected
from layak.villages import services
from layak.villages.models import Invitation

from .factories import make_subtree, sheet_upload

KEC = "31.71.01"  # Kecamatan Gambir
DESA = "31.71.01.1001"  # Kelurahan Gambir


@pytest.fixture
def jakpus(db):
    return make_subtree("31.71")


def test_provisioning_issues_hashed_single_use_invitations(jakpus, region_coordinator):
    upload = sheet_upload(
        [
            [KEC, "Kecamatan", "Gambir", "Siti Aminah", "siti@example.org", ""],
            [DESA, "Desa", "Gambir", "Budi Santoso", "", "0812-3456-7890"],
            ["31.71.01.1002", "Desa", "Cideng", "", "", ""],
        ]
    )
    issued = services.operators_provision(user=region_coordinator, region=jakpus, upload=upload)
    assert [(i.invitation.region_id, i.invitation.role) for i in issued] == [
        (KEC, Role.KECAMATAN_OPERATOR),
        (DESA, Role.DESA_OPERATOR),
    ]
    stored = Invitation.objects.get(region_id=DESA)
    assert stored.phone == "+6281234567890"
    assert issued[1].code not in stored.code_hash and len(stored.code_hash) == 64
    assert AuditEvent.objects.filter(verb="villages.operators_invited").count() == 1


def test_a_code_outside_the_region_or_a_bad_contact_refuses_the_whole_file(jakpus, region_coordinator):
    make_subtree("31.75.01")
    upload = sheet_upload(
        [
            [KEC, "Kecamatan", "Gambir", "Siti Aminah", "siti@example.org", ""],
            ["31.75.01", "Kecamatan", "Pasar Rebo", "Orang Lain", "lain@example.org", ""],
            [DESA, "Desa", "Gambir", "Budi", "not-an-email", "12345"],
            ["31.71.01.1002", "Desa", "Cideng", "Ani", "", ""],
        ]
    )
    with pytest.raises(ImportRejected) as exc:
        services.operators_provision(user=region_coordinator, region=jakpus, upload=upload)
    messages = [(e.row, e.message) for e in exc.value.row_errors]
    assert [row for row, _m in messages] == [3, 4, 4, 5]
    assert "is not a district or village of" in messages[0][1]
    assert "is not an e-mail address" in messages[1][1]
    assert "Indonesian mobile number" in messages[2][1]
    assert "e-mail address or a phone number" in messages[3][1]
    assert not Invitation.objects.exists()


def test_csv_uploads_work_too(jakpus, region_coordinator):
    upload = sheet_upload([[DESA, "Desa", "Gambir", "Budi", "budi@example.org", ""]], name="operators.csv")
    issued = services.operators_provision(user=region_coordinator, region=jakpus, upload=upload)
    assert [i.invitation.region_id for i in issued] == [DESA]


def test_only_the_region_coordinator_provisions(jakpus, outsider, province_verifier):
    upload = sheet_upload([[DESA, "Desa", "Gambir", "Budi", "budi@example.org", ""]])
    for user in (outsider, province_verifier):
        with pytest.raises(PermissionDenied):
            services.operators_provision(user=user, region=jakpus, upload=upload)


def _issue(coordinator, region, code=DESA):
    upload = sheet_upload([[code, "", "", "Budi Santoso", "budi@example.org", ""]])
    return services.operators_provision(user=coordinator, region=region, upload=upload)[0]


def test_a_code_works_once(jakpus, region_coordinator):
    issued = _issue(region_coordinator, jakpus)
    user = services.invitation_redeem(code=issued.code.lower(), username="budi", password="kuat-sekali-2026")
    assert RoleAssignment.objects.get(user=user).region_id == DESA
    assert user.full_name == "Budi Santoso"
    with pytest.raises(Exception, match="not valid"):
        services.invitation_redeem(code=issued.code, username="budi2", password="kuat-sekali-2026")


def test_an_expired_code_does_not_work(jakpus, region_coordinator):
    issued = _issue(region_coordinator, jakpus)
    Invitation.objects.update(expires_at=timezone.now(), created_at=timezone.now() - timezone.timedelta(days=31))
    with pytest.raises(Exception, match="not valid"):
        services.invitation_redeem(code=issued.code, username="budi", password="kuat-sekali-2026")
    assert not User.objects.filter(username="budi").exists()


def test_provision_page_shows_row_errors_and_then_printable_codes(jakpus, region_coordinator, login):
    client = login(region_coordinator)
    url = reverse("villages:provision", args=["31.71"])
    bad = sheet_upload([["99.99", "", "", "X", "x@example.org", ""]])
    response = client.post(url, {"upload": bad})
    assert response.status_code == 400 and "is not a district or village of" in response.content.decode()
    response = client.post(url, {"upload": sheet_upload([[DESA, "", "", "Budi", "budi@example.org", ""]])})
    assert response.status_code == 200
    assert "Invitation codes" in response.content.decode()


def test_template_lists_every_kecamatan_and_desa(jakpus, region_coordinator, login):
    response = login(region_coordinator).get(reverse("villages:provision_template", args=["31.71", "csv"]))
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    from layak.regions.models import Region

    assert len(lines) - 1 == Region.objects.filter(code__startswith="31.71.", level__in=[3, 4]).count() > 40


def test_join_page_creates_the_account_and_signs_in(jakpus, region_coordinator, client):
    issued = _issue(region_coordinator, jakpus)
    password = "kuat-sekali-2026"
    data = {"code": issued.code, "username": "budi", "password": password, "password_again": password}
    response = client.post(reverse("villages:join"), data)
    assert response.status_code == 302
    assert client.get(reverse("villages:area_detail", args=[DESA])).status_code == 200
    assert client.get(reverse("villages:area_detail", args=["31.71.01.1002"])).status_code == 404
    assert client.get(reverse("villages:region_villages", args=["31.71"])).status_code == 404


def test_a_camat_sees_the_desa_of_its_kecamatan_only(jakpus, login):
    from layak.accounts.tests.factories import make_user_with_role

    camat = make_user_with_role("camat_gambir", Role.KECAMATAN_OPERATOR, KEC)
    client = login(camat)
    assert client.get(reverse("villages:area_detail", args=[KEC])).status_code == 200
    assert client.get(reverse("villages:area_detail", args=[DESA])).status_code == 200
    assert client.get(reverse("villages:area_detail", args=["31.71.02"])).status_code == 404
    assert client.get(reverse("villages:area_detail", args=["31.71.02.1001"])).status_code == 404
    assert client.get(reverse("villages:provision", args=["31.71"])).status_code == 404
