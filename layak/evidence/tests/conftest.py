from __future__ import annotations

import pytest

from layak.regions.tests.factories import make_region


@pytest.fixture
def region(db):
    """Kota Administrasi Jakarta Pusat, the region of the coordinator and OPD personas."""
    return make_region("31.71")


@pytest.fixture
def other_region(db):
    return make_region("31.75")


@pytest.fixture(autouse=True, params=["filesystem", "s3"])
def evidence_storage(request):
    """Every evidence test runs twice: on the media folder (the embedded default) and on an S3 bucket (production
    with LAYAK_S3_BUCKET; the bucket's server is the one `.ci/run` started or a moto server started for the run)."""
    if request.param == "s3":
        request.getfixturevalue("use_s3")
    return request.param
