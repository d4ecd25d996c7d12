"""The server-made SVG charts: valid, accessible, self-contained and repeatable.

Every chart is parsed as XML, so a test fails on any markup a browser or WeasyPrint would
reject; markers carry class="point" so the tests can count them.
"""

import xml.etree.ElementTree as ET

import pytest

from trend_maths import chart_svg
from trend_maths.charts import bar_svg, funnel_svg, spc_svg
from trend_maths.statistics import Point, Rebase, funnel, p_chart, xmr_chart

SVG = "{http://www.w3.org/2000/svg}"
RATES = [0.6, 0.62, 0.58, 0.61, 0.59, 0.63, 0.6, 0.7, 0.72, 0.71, 0.69, 0.73, 0.7, 0.74, 0.95]


def rates_chart(values=RATES, n=20):
    return p_chart([Point(f"2026-{i + 1:02d}", v, n) for i, v in enumerate(values)])


def scores_chart():
    values = [2.1, 2.3, 2.2, 2.4, 2.5, 2.6, 2.7, 2.8]
    return xmr_chart([Point(f"Q{i + 1}", v) for i, v in enumerate(values)])


def teams():
    return funnel(
        [
            ("North", 30, 40),
            ("South", 10, 10),
            ("East", 40, 100),
            ("West", 45, 60),
            ("Children in care", 70, 90),
            ("Fostering", 8, 12),
            ("Empty", 0, 0),
        ]
    )


QUESTIONS = [
    ("Case discussion recorded", 0.82),
    ("Actions have owners", 0.45),
    ("Reflection", None),
]

CHARTS = {
    "spc": lambda: spc_svg(rates_chart(), "Compliance by month"),
    "xmr": lambda: spc_svg(scores_chart(), "Mean score by quarter", "score"),
    "funnel": lambda: funnel_svg(teams(), "Compliance by team"),
    "bar": lambda: bar_svg(QUESTIONS, "Compliance by question"),
}


def parse(svg):
    return ET.fromstring(svg)


def texts(root):
    return [element.text for element in root.iter(f"{SVG}text")]


def points(root):
    return [element for element in root.iter() if element.get("class") == "point"]


@pytest.mark.parametrize("name", CHARTS)
def test_each_chart_is_an_accessible_image_with_its_title_and_a_description(name):
    root = parse(CHARTS[name]())

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root[0].tag == f"{SVG}title" and root[0].text.startswith(("Compliance", "Mean"))
    assert root[1].tag == f"{SVG}desc" and len(root[1].text) > 20
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert root.get("font-family") == "Arial, sans-serif"


@pytest.mark.parametrize("name", CHARTS)
def test_each_chart_is_self_contained_with_no_script_links_or_ids(name):
    svg = CHARTS[name]()
    root = parse(svg)

    assert not [e for e in root.iter() if e.tag.endswith(("script", "image", "foreignObject"))]
    assert "href" not in svg and "url(" not in svg and "@import" not in svg
    assert not [e for e in root.iter() if "id" in e.attrib]
    assert not [name for e in root.iter() for name in e.attrib if name.startswith("on")]


@pytest.mark.parametrize("name", CHARTS)
def test_each_chart_is_byte_identical_for_identical_input(name):
    assert CHARTS[name]() == CHARTS[name]()


def test_spc_chart_description_gives_the_verdict_in_words():
    chart = rates_chart()

    desc = parse(spc_svg(chart, "Compliance by month"))[1].text

    assert desc.startswith(chart.verdict_text)
    assert "15 values from 2026-01 to 2026-15" in desc
    assert "process limits that vary with the number audited" in desc


def test_spc_chart_has_a_marker_per_value_shaped_by_its_meaning():
    chart = rates_chart()
    root = parse(spc_svg(chart, "Compliance by month"))

    markers = points(root)

    assert len(markers) == len(RATES)
    by_direction = {p.direction for p in chart.points}
    assert {"improvement", "concern"} <= by_direction
    for marker, point in zip(markers, chart.points, strict=True):
        shape = {"": "circle", "improvement": "polygon", "concern": "polygon"}[point.direction]
        assert marker.tag == f"{SVG}{shape}"
        assert marker.find(f"{SVG}title").text.startswith(point.label)
    assert markers[-1].get("fill") == chart_svg.IMPROVEMENT
    assert markers[0].get("fill") == chart_svg.CONCERN


def test_spc_chart_tooltips_name_the_special_cause_rules():
    root = parse(spc_svg(rates_chart(), "Compliance by month"))

    tooltip = points(root)[-1].find(f"{SVG}title").text

    assert tooltip == "2026-15: 95% of 20 audited; improvement (a shift)"


def test_spc_chart_has_axis_titles_percent_ticks_and_a_key():
    labels = texts(parse(spc_svg(rates_chart(), "Compliance by month")))

    assert "Period" in labels and "Percentage" in labels
    assert any(label.endswith("%") for label in labels)
    assert {"Common cause", "Improvement", "Concern", "Average", "Process limits"} <= set(labels)


def test_p_chart_limits_are_stepped_and_xmr_limits_are_straight():
    varying = rates_chart()
    varying_points = [Point(p.label, p.value, 10 + i) for i, p in enumerate(varying.points)]
    stepped = spc_svg(p_chart(varying_points), "Compliance by month")
    straight = spc_svg(scores_chart(), "Mean score", "score")

    def limit_paths(svg):
        return [e.get("d") for e in parse(svg).iter(f"{SVG}path") if e.get("stroke-dasharray")]

    assert any(" V" in d for d in limit_paths(stepped))
    assert not any(" V" in d for d in limit_paths(straight))
    assert "process limits of" in parse(straight)[1].text


def test_spc_chart_skips_periods_with_no_data():
    chart = p_chart([Point("Jan", 0.5, 10), Point("Feb", None, 0), Point("Mar", 0.6, 10)])

    root = parse(spc_svg(chart, "Compliance"))

    assert len(points(root)) == 2
    line = [e.get("d") for e in root.iter(f"{SVG}path") if e.get("stroke-width") == "1.5"]
    assert line[0].count("M") == 2  # the pen lifts over February


def test_spc_chart_with_no_data_says_so_inside_the_svg():
    root = parse(spc_svg(p_chart([]), "Compliance by month"))

    assert chart_svg.EMPTY_MESSAGE in texts(root)
    assert root[0].text == "Compliance by month"
    assert root[1].text == chart_svg.EMPTY_MESSAGE
    assert points(root) == []


def test_spc_chart_with_a_single_point_draws_it_without_limits():
    chart = p_chart([Point("2026-11", 0.5, 10)])

    root = parse(spc_svg(chart, "Compliance"))

    assert len(points(root)) == 1
    assert not [e for e in root.iter(f"{SVG}path") if e.get("stroke-dasharray")]
    assert "not enough data" in root[1].text


def test_text_is_escaped_so_any_title_or_label_stays_valid_xml():
    chart = p_chart([Point("<Q1 & Q2>", 0.5, 10), Point('"Q3"', 0.7, 10)])

    root = parse(spc_svg(chart, 'Teams <A> & "B"'))

    assert root[0].text == 'Teams <A> & "B"'
    assert "<Q1 & Q2>" in texts(root)


def test_a_chart_id_prefixes_the_ids_and_labels_the_image_by_them():
    root = parse(spc_svg(rates_chart(), "Compliance", chart_id="compliance-chart"))

    assert root[0].get("id") == "compliance-chart-title"
    assert root[1].get("id") == "compliance-chart-desc"
    assert root.get("aria-labelledby") == "compliance-chart-title"
    assert root.get("aria-describedby") == "compliance-chart-desc"
    with pytest.raises(ValueError, match="chart id"):
        spc_svg(rates_chart(), "Compliance", chart_id='x" onload="alert(1)')


def test_an_unknown_value_format_is_refused():
    with pytest.raises(ValueError, match="value format"):
        spc_svg(rates_chart(), "Compliance", "money")


def test_funnel_has_a_labelled_marker_per_audited_team_and_the_limits():
    result = teams()
    root = parse(funnel_svg(result, "Compliance by team"))

    markers = points(root)
    labels = texts(root)

    assert len(markers) == 6  # "Empty" has no audits, so no point
    assert {"North", "South", "East", "West"} <= set(labels)
    assert "Average 65%" in labels and "95% limits" in labels and "99.8% limits" in labels
    assert "Number of audits" in labels and "Compliance" in labels
    assert len([e for e in root.iter(f"{SVG}path")]) >= 5  # 4 limit curves and the target


def test_funnel_marks_teams_beyond_the_limits_by_shape_and_fill():
    root = parse(funnel_svg(teams(), "Compliance by team"))
    by_team = {m.find(f"{SVG}title").text.split(":")[0]: m for m in points(root)}

    assert by_team["North"].tag == f"{SVG}circle"
    assert by_team["South"].get("fill") == "#ffffff"  # beyond 95% only: hollow
    assert by_team["South"].get("stroke") == chart_svg.IMPROVEMENT
    assert by_team["East"].get("fill") == chart_svg.CONCERN  # beyond 99.8%: filled


def test_funnel_description_names_the_teams_outside_the_limits():
    desc = parse(funnel_svg(teams(), "Compliance by team"))[1].text

    assert desc.startswith("6 teams compared with their average of 65%: 3 within the limits.")
    assert "Above 95% limits: South, Children in care." in desc
    assert "Below 99.8% limits: East." in desc
    assert "No audits: Empty." in desc


def test_funnel_where_lower_is_better_shows_a_high_team_as_a_concern():
    root = parse(funnel_svg(teams(), "Overdue actions by team", higher_is_better=False))
    by_team = {m.find(f"{SVG}title").text.split(":")[0]: m for m in points(root)}

    assert by_team["South"].get("stroke") == chart_svg.CONCERN


def test_funnel_with_no_audits_says_so_and_a_single_team_draws():
    empty = parse(funnel_svg(funnel([("A", 0, 0)]), "Compliance by team"))
    single = parse(funnel_svg(funnel([("A", 3, 4)]), "Compliance by team"))

    assert chart_svg.EMPTY_MESSAGE in texts(empty)
    assert len(points(single)) == 1


def test_bar_chart_has_a_bar_per_value_labels_and_values_at_the_ends():
    root = parse(bar_svg(QUESTIONS, "Compliance by question"))
    labels = texts(root)

    assert len([e for e in root.iter(f"{SVG}rect") if e.get("class") == "point"]) == 2
    assert {"Case discussion recorded", "82%", "45%", "No data", "Percentage"} <= set(labels)
    assert root[1].text == (
        "Case discussion recorded 82%; Actions have owners 45%; Reflection no data."
    )


def test_bar_lengths_are_in_proportion_to_their_values():
    root = parse(bar_svg([("Half", 0.5), ("All", 1.0)], "Compliance"))

    half, full = (float(e.get("width")) for e in points(root))

    assert full == pytest.approx(2 * half, abs=0.2)


def test_bar_chart_of_counts_scales_to_the_largest_and_shows_whole_numbers():
    grades = [("Outstanding", 2.0), ("Good", 11.0), ("Requires improvement", 6.0)]

    labels = texts(parse(bar_svg(grades, "Grades", "count", x_label="Number of audits")))

    assert {"2", "11", "6", "Number of audits"} <= set(labels)


def test_bar_chart_with_no_items_says_so_and_one_item_draws():
    assert chart_svg.EMPTY_MESSAGE in texts(parse(bar_svg([], "Compliance by question")))
    assert len(points(parse(bar_svg([("Only", 0.3)], "Compliance")))) == 1


def contrast(colour):
    def channel(value):
        c = int(value, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 1.05 / (0.2126 * red + 0.7152 * green + 0.0722 * blue + 0.05)


def test_colours_that_carry_meaning_meet_wcag_contrast_on_white():
    assert contrast(chart_svg.INK) >= 4.5
    for colour in (
        chart_svg.SECONDARY,
        chart_svg.IMPROVEMENT,
        chart_svg.CONCERN,
        chart_svg.NEUTRAL,
        chart_svg.BAR,
    ):
        assert contrast(colour) >= 4.5, colour


def test_funnel_names_teams_beyond_the_limits_and_never_writes_names_over_each_other():
    crowded = [(f"Team {i:02d}", 28, 33) for i in range(12)] + [("Outlier", 5, 33)]
    root = parse(funnel_svg(funnel(crowded), "Compliance by team"))
    labels = texts(root)
    names = [label for label in labels if label.startswith("Team ") or label == "Outlier"]

    assert len(points(root)) == 13
    assert "Outlier" in names  # beyond the limits: always named
    assert 1 <= len(names) < 13  # the twelve identical teams share one spot: one name fits


def test_funnel_description_says_when_its_limits_allow_for_clustered_answers():
    plain = parse(funnel_svg(teams(), "Compliance by team"))[1].text
    clustered = funnel([("A", 30, 40), ("B", 10, 30)], design_effect=4.0)
    desc = parse(funnel_svg(clustered, "Compliance by team"))[1].text

    assert "design effect" not in plain
    assert "limits are 2.0 times as wide as for independent answers" in desc
    assert "a design effect of 4.0" in desc


def test_a_rebase_and_a_target_are_drawn_named_in_the_key_and_explained_in_the_description():
    points = [Point(f"Q{i + 1}", v, 50) for i, v in enumerate([0.5, 0.52, 0.48, 0.8, 0.82, 0.78])]
    chart = p_chart(points, rebases=[Rebase("Q4", "New supervision policy")], target=0.99)

    svg = spc_svg(chart, "Compliance by quarter")

    assert "Limits recalculated" in svg and "Target 99%" in svg
    assert "The limits were recalculated from Q4: New supervision policy." in svg
    assert "consistently miss the target of 99%" in svg
