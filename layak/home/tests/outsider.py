"""The user guide is public."""

from layak.common.testing import PUBLIC, Check

CHECKS: dict[str, Check] = {
    "guide:guide": Check(PUBLIC, PUBLIC),
    "guide:guide_page": Check(PUBLIC, PUBLIC, {"role": "public"}),
}
