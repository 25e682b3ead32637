from layak.dashboards.privacy import suppress_small


def test_small_counts_of_children_are_suppressed():
    assert [suppress_small(n) for n in (1, 2, 4)] == ["<5", "<5", "<5"]


def test_zero_unknown_and_large_counts_are_kept():
    assert (suppress_small(0), suppress_small(None), suppress_small(5), suppress_small(1234)) == (0, None, 5, 1234)


def test_threshold_can_be_raised():
    assert suppress_small(9, threshold=10) == "<10"
    assert suppress_small(10, threshold=10) == 10
