"""The shared SVG charts: valid XML, escaped labels, accessible, proportional bars."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from layak.common.charts import (
    BAND_COLOURS,
    Bar,
    Bin,
    Series,
    band_colour,
    band_legend,
    grouped_bar_chart,
    histogram,
    horizontal_bar_chart,
    line_chart,
)

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def _bars(root: ET.Element) -> list[ET.Element]:
    return [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "bar"]


def test_every_chart_is_valid_accessible_svg_with_a_viewbox():
    charts = [
        horizontal_bar_chart([Bar("Kelembagaan", 150, 200)], title="Per cluster"),
        grouped_bar_chart(["K", "I"], [Series("self", [1, 2]), Series("final", [None, 3])], title="Stages"),
        histogram([Bin("500-600", 3), Bin("601-700", 7)], title="Distribution"),
        line_chart(["2022", "2023"], [Series("Kota A", [600, 650])], title="Trend"),
        band_legend([("madya", "Madya"), ("kla", "KLA")], title="Bands"),
    ]
    for chart in charts:
        root = _parse(chart)
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img" and root.get("aria-label")
        assert re.fullmatch(r"0 0 \d+ [\d.]+", root.get("viewBox"))
        assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
        assert "<link" not in chart and "@import" not in chart and "url(" not in chart  # no external fonts


def test_labels_and_titles_are_escaped():
    chart = horizontal_bar_chart([Bar("<script>alert(1)</script>", 5, 10)], title='A "quoted" <b>title</b> & more')
    assert "<script>" not in chart and "<b>" not in chart
    root = _parse(chart)  # would raise on unescaped markup
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert any("<script>" in (text or "") for text in texts)  # shown to the reader as text
    assert root.get("aria-label") == 'A "quoted" <b>title</b> & more'


def test_escaping_in_every_chart_kind():
    evil = "<img src=x onerror=alert(1)>"
    charts = [
        grouped_bar_chart([evil], [Series(evil, [1])], title=evil),
        histogram([Bin(evil, 1)], title=evil),
        line_chart([evil], [Series(evil, [1])], title=evil),
        band_legend([("madya", evil)], title=evil),
    ]
    for chart in charts:
        assert "<img" not in chart
        _parse(chart)


def test_bar_length_is_proportional_to_value_over_maximum():
    root = _parse(horizontal_bar_chart([Bar("A", 50, 100), Bar("B", 150, 200), Bar("C", 0, 100)], title="t"))
    widths = [float(bar.get("width")) for bar in _bars(root)]
    full = widths[0] / 0.5
    assert widths[1] == full * 0.75
    assert widths[2] == 0


def test_a_bar_never_exceeds_its_track():
    root = _parse(horizontal_bar_chart([Bar("A", 120, 100), Bar("B", -5, 100), Bar("C", 3, 0)], title="t"))
    tracks = [float(r.get("width")) for r in root.iter(f"{SVG}rect") if r.get("class") is None]
    widths = [float(bar.get("width")) for bar in _bars(root)]
    assert widths == [tracks[0], 0, 0]


def test_grouped_bars_with_maxima_show_shares_and_skip_missing_values():
    root = _parse(
        grouped_bar_chart(
            ["K", "I"], [Series("self", [100, 150]), Series("final", [50, None])], title="t", maxima=[200, 300]
        )
    )
    heights = [float(bar.get("height")) for bar in _bars(root)]
    assert len(heights) == 3  # the missing final value of I draws no bar
    assert heights[0] == heights[2] == 2 * heights[1]  # self K 50 %, final K 25 %, self I 50 %


def test_histogram_bar_heights_follow_counts():
    root = _parse(histogram([Bin("a", 2), Bin("b", 4), Bin("c", 0)], title="t"))
    heights = [float(bar.get("height")) for bar in _bars(root)]
    assert heights[1] == 2 * heights[0] and heights[2] == 0


def test_line_chart_breaks_at_missing_values():
    root = _parse(line_chart(["2021", "2022", "2023", "2024"], [Series("A", [1, 2, None, 4])], title="t"))
    assert len(list(root.iter(f"{SVG}polyline"))) == 1  # 2021-2022 joined; 2024 stands alone
    assert len(list(root.iter(f"{SVG}circle"))) == 3


def test_band_colours_match_the_layak_css_variables():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[3] / "static/css/layak.css").read_text()
    for code, colour in BAND_COLOURS.items():
        assert f"--band-{code}: {colour};" in css
    assert band_colour("Madya") == BAND_COLOURS["madya"]
    assert band_colour("") == band_colour("unknown") == BAND_COLOURS["none"]


def test_chart_text_and_bars_have_enough_contrast_on_white():
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    chart = grouped_bar_chart(
        ["K"], [Series(s, [1]) for s in ("self", "province", "central", "field", "final")], title="t"
    )
    colours = set(re.findall(r'fill="(#[0-9a-f]{6})"', chart)) | set(BAND_COLOURS.values())
    for colour in colours - {"#eef1f4", "#d5dbe1"}:  # the track and grid are decoration
        assert 1.05 / (luminance(colour) + 0.05) >= 3, colour
