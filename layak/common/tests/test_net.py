from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import RequestFactory

from layak.common.checks import REDIS_CACHE, shared_state_check
from layak.common.net import client_ip


def request_from(remote: str, forwarded: str = ""):
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.1", "", "203.0.113.1"),
        ("203.0.113.1", "1.2.3.4", "203.0.113.1"),  # not from a trusted proxy: the header is ignored
        ("10.0.0.2", "198.51.100.4", "198.51.100.4"),
        ("10.0.0.2", "1.2.3.4, 198.51.100.4, 10.1.1.1", "198.51.100.4"),  # spoofed left part, two proxies
        ("10.0.0.2", "", "10.0.0.2"),
        ("10.0.0.2", "not-an-ip", "10.0.0.2"),
        ("::1", "2001:db8::7", "2001:db8::7"),
    ],
)
def test_client_ip_behind_trusted_proxies(settings, remote, forwarded, expected):
    settings.LAYAK_TRUSTED_PROXIES = ["10.0.0.0/8", "::1"]
    assert client_ip(request_from(remote, forwarded)) == expected


def test_without_trusted_proxies_remote_addr_is_the_client(settings):
    settings.LAYAK_TRUSTED_PROXIES = []
    assert client_ip(request_from("10.0.0.2", "198.51.100.4")) == "10.0.0.2"


def test_deploy_check_fails_without_redis(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [e.id for e in shared_state_check()] == ["layak.E001"]
    with pytest.raises(SystemCheckError, match=r"layak\.E001"):
        call_command("check", "--deploy", "--tag", "caches")
    settings.CACHES = {"default": {"BACKEND": REDIS_CACHE, "LOCATION": "redis://127.0.0.1:6379/3"}}
    assert shared_state_check() == []
