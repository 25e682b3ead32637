"""A national admin's first sign-in: the password, then turning on two-step sign-in with an authenticator app
(the code computed here as the app would), the recovery codes, and the next sign-in with a recovery code."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from layak.accounts.choices import Role

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "layak-demo-browser"
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def admin(transactional_db, settings):
    from layak.accounts.tests.factories import make_user_with_role

    settings.LAYAK_2FA_REQUIRED = True
    user = make_user_with_role("admin_pusat", Role.NATIONAL_ADMIN)
    user.set_password(PASSWORD)
    user.save()
    return user


def _code(user) -> str:
    device = TOTPDevice.objects.filter(user=user).latest("id")
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _sign_in(page, url: str) -> None:
    page.goto(url + reverse("accounts:login"))
    page.locator("input[name=username]").fill("admin_pusat")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()


@pytest.mark.browser
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_national_admin_turns_on_two_step_sign_in_and_signs_in_again(page, live_server, admin, size):
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(SIZES[size])
    _sign_in(page, live_server.url)
    page.wait_for_url("**/accounts/2fa/setup/**")
    assert page.locator(".qr-code svg").is_visible() and page.locator("#totp-secret").inner_text()
    page.screenshot(path=str(ARTIFACTS / f"two-factor-setup-{size}.png"), full_page=True)
    page.locator("input[name=code]").fill(_code(admin))
    page.locator("main form.stacked button[type=submit]").click()
    assert page.locator("#recovery-codes li").count() == 10
    recovery = page.locator("#recovery-codes li").first.inner_text().strip()
    page.screenshot(path=str(ARTIFACTS / f"two-factor-codes-{size}.png"), full_page=True)
    page.locator("main a.button").click()
    page.wait_for_url(f"{live_server.url}/")

    page.locator("header form.inline-form button[type=submit]").click()  # log out
    _sign_in(page, live_server.url)
    page.wait_for_url("**/accounts/2fa/**")
    page.locator("input[name=code]").fill(recovery)  # the app's code of this half-minute was used already
    page.locator("main form.stacked button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    assert "Dashboards" in page.content() or "Dasbor" in page.content()
