"""Children's data on public pages: Layak shows aggregates only, and hides counts small enough to identify a child."""

from __future__ import annotations

SMALL_COUNT_THRESHOLD = 5


def suppress_small(n: int | None, threshold: int = SMALL_COUNT_THRESHOLD) -> int | str | None:
    """A count of children as it may be published: "<5" (the threshold) when 1 to threshold-1, else the count.

    Zero stays zero (nothing to identify) and None (unknown) stays None.
    """
    if n is None or n == 0 or n >= threshold:
        return n
    return f"<{threshold}"
