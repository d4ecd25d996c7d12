"""The draw reproduces Rivest's published consistent_sampler examples and rejects bad input.

Expected values are copied from the doctests and examples of
github.com/ron-rivest/consistent_sampler (consistent_sampler.py, demo_consistent_sampler.py and
USAGE_EXAMPLES.md). Rivest's ids may be any printable object; he hashes ``str(id)``, so the
numbers and tuples in his examples appear here as their string forms.
"""

import math

import pytest

from sampling.selection import (
    ALGORITHM,
    ALGORITHM_VERSION,
    Draw,
    draw,
    frame_hash,
    new_seed,
    order_by_ticket,
    sha256_hex,
    sha256_uniform,
    stratified_draw,
    ticket,
    weighted_draw,
)


def rivest_trim(x: str, digits: int = 9) -> str:
    """Rivest's display form: ``digits`` significant digits after any leading 9s, truncated."""
    padded = x + "0"
    first_non_nine = min(i for i in range(2, len(padded)) if padded[i] < "9")
    return x[: first_non_nine + digits]


def test_sha256_hex_matches_rivests_example():
    assert sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_sha256_uniform_matches_rivests_example():
    assert sha256_uniform("abc") == (
        "0.56998071861792858926477341561059638840106636224182943832566300809078486324348"
    )


def test_ticket_is_rivests_first_fraction_for_the_same_seed_and_id():
    assert ticket("01382438112797316654", "AB-130") == (
        "0.26299714122838008416507544297546663599715395525154425586041245287750224561854"
    )


def test_tickets_match_rivests_ticket_heap_example():
    seed = "xy()134!g2n"
    expected = {
        "cat": "0.24866413894129579898796850445568128508290132707747976039848637531569373309555",
        "dog": "0.33886035615681875183111698317327684455682722683976874746986356932751818935066",
        "fish": "0.74685932088827950509145941729789143204056041958068799542050396198792954500593",
        "goat": "0.49599842072022713663423753308080171636735689997237236247068925068573448764387",
    }
    assert {unit: ticket(seed, unit) for unit in expected} == expected
    assert order_by_ticket(seed, ["dog", "cat", "fish", "goat"]) == ["cat", "dog", "goat", "fish"]


def test_shuffle_of_six_matches_rivests_example_x1():
    ids = ["A-1", "A-2", "A-3", "B-1", "B-2", "B-3"]
    assert order_by_ticket("314159", ids) == ["B-2", "B-3", "A-3", "A-2", "B-1", "A-1"]


def test_sample_of_three_is_the_prefix_as_in_rivests_example_x2():
    result = draw("314159", ["A-1", "A-2", "A-3", "B-1", "B-2", "B-3"], 3)
    assert result == Draw(selected=("B-2", "B-3", "A-3"), reserves=("A-2", "B-1", "A-1"))


def test_shuffling_the_b_items_alone_keeps_their_order_as_in_rivests_example_x3():
    assert order_by_ticket("314159", ["B-1", "B-2", "B-3"]) == ["B-2", "B-3", "B-1"]


def test_ticket_numbers_match_rivests_example_x4():
    expected = [
        ("0.410310858", "B-2"),
        ("0.470960291", "B-3"),
        ("0.471438751", "A-3"),
        ("0.567089805", "A-2"),
        ("0.9781715679", "B-1"),
        ("0.9828515724", "A-1"),
    ]
    ids = order_by_ticket("314159", ["A-1", "A-2", "A-3", "B-1", "B-2", "B-3"])
    assert [(rivest_trim(ticket("314159", unit)), unit) for unit in ids] == expected


def test_ticket_numbers_match_rivests_twelve_digit_examples():
    assert ticket("314159", "B-2").startswith("0.410310858090")
    assert ticket("314159", "B-1").startswith("0.9781715679015")
    assert ticket("314159", "A-1").startswith("0.9828515724237")


def test_sampler_tuples_match_rivests_docstring_example():
    ids = order_by_ticket("314159", ["ab-1", "ab-2", "cd-1", "ef-3"])
    assert [(rivest_trim(ticket("314159", unit)), unit) for unit in ids] == [
        ("0.317685817", "cd-1"),
        ("0.832984519", "ef-3"),
        ("0.9098039269", "ab-1"),
        ("0.9231549043", "ab-2"),
    ]


def test_random_shuffles_match_rivests_usage_examples_1_and_2():
    assert order_by_ticket("31", ["a", "b", "c", "d"]) == ["b", "a", "d", "c"]
    assert order_by_ticket("77", ["a", "b", "c", "d"]) == ["b", "d", "c", "a"]


def test_ids_are_hashed_as_their_printed_form_as_in_rivests_usage_example_3():
    ids = [str(x) for x in [1, "two", ("III", 3.0), (1, 1, 1, 1)]]
    assert order_by_ticket("7711", ids) == ["('III', 3.0)", "1", "two", "(1, 1, 1, 1)"]


def test_take_and_drop_match_rivests_usage_examples_4_to_6():
    result = draw("41", [str(i) for i in range(100)], 5)
    assert result.selected == ("73", "51", "17", "58", "38")
    assert result.reserves[:5] == ("42", "39", "20", "11", "67")
    tickets = [rivest_trim(ticket("41", unit)) for unit in result.selected]
    assert tickets == ["0.000508333", "0.003446232", "0.004419823", "0.020115273", "0.023482375"]


def test_sampling_without_replacement_matches_rivests_usage_example_8():
    ids = order_by_ticket("52", ["a", "b", "c", "d", "e"])
    assert [(rivest_trim(ticket("52", unit)), unit) for unit in ids] == [
        ("0.054468191", "d"),
        ("0.197384308", "b"),
        ("0.302883911", "e"),
        ("0.366142288", "a"),
        ("0.492683857", "c"),
    ]


def test_algorithm_is_named_and_versioned_for_the_method_statement():
    assert ALGORITHM == "consistent_sampler (SHA-256 tickets, without replacement)"
    assert ALGORITHM_VERSION == "1"


def test_draw_of_more_than_the_frame_selects_every_unit_in_ticket_order():
    result = draw("314159", ["A-1", "B-1", "B-2"], 10)
    assert result.selected == ("B-2", "B-1", "A-1")
    assert result.reserves == ()


def test_draw_of_none_leaves_every_unit_as_a_reserve():
    assert draw("314159", ["B-1", "B-2", "B-3"], 0) == Draw((), ("B-2", "B-3", "B-1"))


def test_draw_of_an_empty_frame_selects_nothing():
    assert draw("314159", [], 3) == Draw((), ())


def test_draw_does_not_depend_on_the_order_of_the_frame():
    ids = ["A-1", "A-2", "A-3", "B-1", "B-2", "B-3"]
    assert draw("99", ids, 2) == draw("99", list(reversed(ids)), 2)


def test_draw_rejects_a_frame_with_a_repeated_id():
    with pytest.raises(ValueError, match="repeated: 'A-1'"):
        draw("1", ["A-1", "B-1", "A-1"], 1)


@pytest.mark.parametrize("k", [-1, 1.5, True, "2"])
def test_draw_rejects_a_sample_size_that_is_not_a_whole_number_of_zero_or_more(k):
    with pytest.raises(ValueError, match="sample size"):
        draw("1", ["a", "b"], k)


@pytest.mark.parametrize("seed", ["", "   "])
def test_draw_rejects_an_empty_seed(seed):
    with pytest.raises(ValueError, match="seed"):
        draw(seed, ["a", "b"], 1)


def test_new_seed_is_24_random_digits_by_default_and_differs_each_time():
    seeds = {new_seed() for _ in range(20)}
    assert len(seeds) == 20
    assert all(len(seed) == 24 and seed.isdigit() for seed in seeds)
    assert len(new_seed(40)) == 40


def test_new_seed_refuses_fewer_than_20_digits():
    with pytest.raises(ValueError, match="at least 20 digits"):
        new_seed(19)


def test_frame_hash_is_sha256_of_the_ids_joined_by_newlines_in_the_order_given():
    assert frame_hash(["a", "b"]) == sha256_hex("a\nb")
    assert frame_hash(["a", "b"]) != frame_hash(["b", "a"])
    assert frame_hash([]) == sha256_hex("")


def test_frame_hash_rejects_an_id_with_a_line_break():
    with pytest.raises(ValueError, match="line break"):
        frame_hash(["a\nb", "c"])


def test_weighted_draw_takes_the_largest_efraimidis_spirakis_keys_first():
    weights = {"a": 1.0, "b": 2.0, "c": 0.5, "d": 4.0, "e": 1.0}
    keys = {unit: float(ticket("7", unit)) ** (1 / w) for unit, w in weights.items()}
    expected = sorted(weights, key=lambda unit: -keys[unit])
    result = weighted_draw("7", weights, 2)
    assert result.selected == tuple(expected[:2])
    assert result.reserves == tuple(expected[2:])


def test_weighted_draw_favours_heavier_units_over_many_seeds():
    weights = {"light": 1.0, "heavy": 3.0}
    heavy_first = sum(weighted_draw(str(s), weights, 1).selected == ("heavy",) for s in range(2000))
    # P(heavy first) = 3 / (1 + 3) = 0.75; 2000 draws put it within 0.70-0.80 comfortably.
    assert 0.70 < heavy_first / 2000 < 0.80


def test_weighted_draw_handles_tiny_weights_without_underflow():
    result = weighted_draw("5", {"a": 1e-6, "b": 2e-6, "c": 1e-6}, 3)
    assert sorted(result.selected) == ["a", "b", "c"]


@pytest.mark.parametrize("weight", [0, -1.0, math.inf, math.nan, True])
def test_weighted_draw_rejects_weights_that_are_not_positive_numbers(weight):
    with pytest.raises(ValueError, match="weight of 'b'"):
        weighted_draw("5", {"a": 1.0, "b": weight}, 1)


def test_stratified_draw_equals_drawing_each_stratum_alone():
    strata = {"North": ["n1", "n2", "n3", "n4"], "South": ["s1", "s2", "s3"]}
    result = stratified_draw("2718", strata, {"North": 2, "South": 1})
    assert result == {
        "North": draw("2718", strata["North"], 2),
        "South": draw("2718", strata["South"], 1),
    }


def test_stratified_draw_keeps_each_strata_order_within_the_whole_frame():
    strata = {"North": ["n1", "n2", "n3", "n4"], "South": ["s1", "s2", "s3"]}
    whole = order_by_ticket("2718", strata["North"] + strata["South"])
    result = stratified_draw("2718", strata, {"North": 4, "South": 3})
    assert list(result["North"].selected) == [u for u in whole if u.startswith("n")]


def test_stratified_draw_needs_a_size_for_every_stratum_and_no_others():
    strata = {"North": ["n1"], "South": ["s1"]}
    with pytest.raises(ValueError, match="No sample size was given for stratum 'South'"):
        stratified_draw("1", strata, {"North": 1})
    with pytest.raises(ValueError, match="unknown stratum 'East'"):
        stratified_draw("1", strata, {"North": 1, "South": 1, "East": 1})


def test_stratified_draw_rejects_a_unit_in_two_strata():
    with pytest.raises(ValueError, match="'x' is in both stratum 'North' and 'South'"):
        stratified_draw("1", {"North": ["x"], "South": ["x"]}, {"North": 1, "South": 1})


def test_draw_rejects_ids_that_are_not_text():
    with pytest.raises(ValueError, match="Unit ids must be text, not 12"):
        draw("1", ["a", 12], 1)
