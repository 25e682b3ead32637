import re

import pytest
from django.core import mail
from django.urls import reverse

from layak.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_login_with_the_right_password_signs_in_and_goes_home(client, region_coordinator):
    response = client.post(reverse("accounts:login"), {"username": "koordinator_jakpus", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_login_with_a_wrong_password_says_so_and_keeps_the_username(client, region_coordinator):
    response = client.post(reverse("accounts:login"), {"username": "koordinator_jakpus", "password": "nope"})
    assert response.status_code == 200
    assert "username or password is wrong" in str(response.context["form"].non_field_errors())
    assert 'value="koordinator_jakpus"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_ends_the_session(login, region_coordinator):
    client = login(region_coordinator)
    response = client.get(reverse("accounts:logout"))  # a link or a reload does not log out: it goes home
    assert response.status_code == 302 and response.url == "/"
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change_takes_the_new_password(client, region_coordinator):
    client.post(reverse("accounts:login"), {"username": "koordinator_jakpus", "password": PASSWORD})
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Anak-Indonesia-2045", "new_password2": "Anak-Indonesia-2045"},
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change_done")
    region_coordinator.refresh_from_db()
    assert region_coordinator.check_password("Anak-Indonesia-2045")


def test_password_change_needs_a_login(client):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_password_reset_sends_a_link_that_sets_a_new_password(client):
    user = UserFactory(username="lupa", email="lupa@example.org")
    response = client.post(reverse("accounts:password_reset"), {"email": "lupa@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    set_password_url = response.redirect_chain[-1][0]
    response = client.post(set_password_url, {"new_password1": "Jalan-Baru-2025!", "new_password2": "Jalan-Baru-2025!"})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("Jalan-Baru-2025!")


def test_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_profile_shows_the_roles_with_their_regions(login, opd_contributor, django_assert_max_num_queries):
    client = login(opd_contributor)
    with django_assert_max_num_queries(7):  # 7th: the reminder e-mail preference (layak.notifications)
        response = client.get(reverse("accounts:profile"))
    page = response.content.decode()
    assert "Kota Administrasi Jakarta Pusat" in page
    assert "Dinas Kesehatan" in page


def test_profile_needs_a_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_django_admin_opens_for_a_national_admin_with_staff_status(login, national_admin):
    national_admin.is_staff = True
    national_admin.is_superuser = True
    national_admin.save()
    assert login(national_admin).get(reverse("admin:accounts_user_changelist")).status_code == 200


@pytest.mark.parametrize("persona", ["region_coordinator", "province_verifier", "outsider"])
def test_django_admin_sends_others_to_the_admin_login(request, login, persona):
    response = login(request.getfixturevalue(persona)).get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
