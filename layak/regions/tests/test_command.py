from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from layak.regions.management.commands.load_regions import parse_levels
from layak.regions.models import Region


def test_command_loads_named_levels_and_prints_counts(db):
    out = StringIO()

    call_command("load_regions", "--levels", "province,kabkota", stdout=out)

    text = out.getvalue()
    assert Region.objects.count() == 552
    assert "38" in text
    assert "514" in text
    assert "kabupaten 416" in text
    assert "kota 98" in text
    assert " s." in text
    assert "%" not in text  # no progress line when stdout is not a terminal


def test_second_run_says_it_is_up_to_date(db):
    call_command("load_regions", "--levels", "1,2", stdout=StringIO())
    out = StringIO()

    call_command("load_regions", "--levels", "1,2", stdout=out)

    assert "--force" in out.getvalue()


def test_progress_is_drawn_on_a_terminal(db):
    class Terminal(StringIO):
        def isatty(self):
            return True

    out = Terminal()

    call_command("load_regions", "--levels", "1", stdout=out)

    assert "100%" in out.getvalue()


@pytest.mark.parametrize("levels", ["7", "kota", ","])
def test_unknown_levels_are_refused(levels):
    with pytest.raises(CommandError):
        parse_levels(levels)


def test_a_level_without_parents_is_a_command_error(db):
    with pytest.raises(CommandError, match="load level"):
        call_command("load_regions", "--levels", "kecamatan", stdout=StringIO())


def test_levels_mix_numbers_and_names():
    assert parse_levels("2, province") == [1, 2]
