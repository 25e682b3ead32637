"""The kab/kota the published history names (kept beside the tests that need them loaded)."""

from pathlib import Path

import yaml

_FILE = Path(__file__).resolve().parents[3] / "data" / "history" / "kla-region-results.yaml"
HISTORY_REGIONS = sorted({row["region"] for row in yaml.safe_load(_FILE.read_text())["results"]})


def test_every_history_region_is_a_kabkota_code():
    assert all(len(code.split(".")) == 2 for code in HISTORY_REGIONS)
