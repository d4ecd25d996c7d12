"""Charts a busy manager can read: a period not yet over is drawn hollow and left out of the
limits and the rules, and long team names are wrapped, never cut short."""

import xml.etree.ElementTree as ET

import pytest

from trend_maths.charts import bar_svg, funnel_svg, spc_svg
from trend_maths.statistics import Point, funnel, p_chart, xmr_chart

SVG = "{http://www.w3.org/2000/svg}"
STEADY = [0.8, 0.82, 0.78, 0.81, 0.79, 0.8, 0.83, 0.77, 0.8, 0.82, 0.79, 0.81]


def months(values, n=40, partial_last=True):
    points = [Point(f"M{i + 1}", v, n) for i, v in enumerate(values)]
    if partial_last:
        points[-1] = Point(points[-1].label, points[-1].value, 3, partial=True)
    return points


@pytest.mark.parametrize("make", [p_chart, xmr_chart])
def test_a_partial_month_cannot_trigger_a_signal(make):
    chart = make(months([*STEADY, 0.0]))
    last = chart.points[-1]
    assert last.partial and last.special_cause == () and last.direction == ""
    assert chart.verdict == "no significant change"
    steady = make(months(STEADY, partial_last=False))
    assert chart.centre == pytest.approx(steady.centre)
    assert chart.points[-2].upper == pytest.approx(steady.points[-1].upper)


def test_without_the_partial_month_the_same_drop_is_a_signal():
    chart = p_chart(months([*STEADY, 0.0], partial_last=False))
    assert chart.points[-1].special_cause and chart.verdict == "concerning"


def test_a_partial_month_is_drawn_hollow_and_said_to_be_incomplete():
    svg = spc_svg(p_chart(months([*STEADY, 0.5])), "Compliance by month")
    root = ET.fromstring(svg)
    markers = root.findall(f".//{SVG}circle[@class='point']")
    assert markers[-1].get("fill") == "#ffffff"
    assert all(m.get("fill") != "#ffffff" for m in markers[:-1])
    desc = root.find(f"{SVG}desc").text
    assert "M13 is not complete yet" in desc
    legend = "".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "Not complete yet" in legend


def test_long_team_names_wrap_in_the_funnel_plot_instead_of_being_cut_short():
    name = "Safeguarding North East and Children in Care"
    plot = funnel([(name, 30, 100), ("South", 80, 100), ("West", 55, 100)])
    root = ET.fromstring(funnel_svg(plot, "Compliance by team"))
    written = [
        " ".join(t.strip() for t in text.itertext() if t.strip())
        for text in root.iter(f"{SVG}text")
    ]
    assert not any("…" in w for w in written)
    assert name in written


def test_long_team_names_wrap_beside_their_bars_instead_of_being_cut_short():
    name = "Safeguarding North East and Children in Care Permanence Team"
    root = ET.fromstring(bar_svg([(name, 0.7), ("South", 0.9)], "Within the interval"))
    written = [
        " ".join(t.strip() for t in text.itertext() if t.strip())
        for text in root.iter(f"{SVG}text")
    ]
    assert not any("…" in w for w in written)
    assert name in written
    assert int(root.get("height")) > 16 + 2 * 28 + 48  # the rows grew to hold two lines
