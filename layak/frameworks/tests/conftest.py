"""Fixtures of the frameworks tests: the shipped framework files loaded into the test database."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from layak.frameworks.services import framework_load_file

SHIPPED = Path(settings.LAYAK_FRAMEWORKS_DIR)


@pytest.fixture(autouse=True)
def english(settings):
    """Assertions read the English msgids; the Indonesian default is checked by its own test."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def kla2021(db):
    framework_load_file(SHIPPED / "kla-2021.yaml")
    from layak.frameworks.models import FrameworkVersion

    return FrameworkVersion.objects.get(slug="kla-2021")


@pytest.fixture
def kla2011(db):
    framework_load_file(SHIPPED / "kla-2011.yaml")
    from layak.frameworks.models import FrameworkVersion

    return FrameworkVersion.objects.get(slug="kla-2011")


@pytest.fixture
def kla2024(db):
    framework_load_file(SHIPPED / "kla-2024.yaml")
    from layak.frameworks.models import FrameworkVersion

    return FrameworkVersion.objects.get(slug="kla-2024")
