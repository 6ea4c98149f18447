"""Splitting a joint fund among the special wards (均等割・人口割・併用・金額入力): exact to the yen."""

import tomllib
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renkei.disasters import shares
from renkei.municipalities.codes import is_valid_lg_code

WARDS = {
    "131016": "千代田区", "131024": "中央区", "131032": "港区", "131041": "新宿区", "131059": "文京区",
    "131067": "台東区", "131075": "墨田区", "131083": "江東区", "131091": "品川区", "131105": "目黒区",
    "131113": "大田区", "131121": "世田谷区", "131130": "渋谷区", "131148": "中野区", "131156": "杉並区",
    "131164": "豊島区", "131172": "北区", "131181": "荒川区", "131199": "板橋区", "131202": "練馬区",
    "131211": "足立区", "131229": "葛飾区", "131237": "江戸川区",
}
CENSUS_2020_TOTAL = 9_733_276  # 東京都区部, 令和2年国勢調査

totals = st.integers(min_value=0, max_value=10**12)
codes = st.from_regex(r"\d{6}", fullmatch=True)
weight_values = st.one_of(st.integers(min_value=0, max_value=10**9),
                          st.fractions(min_value=0, max_value=10**6, max_denominator=10**6))
weightings = st.dictionaries(codes, weight_values, min_size=1, max_size=30).filter(lambda w: any(w.values()))
populations = st.dictionaries(st.sampled_from(sorted(WARDS)), st.integers(min_value=0, max_value=10**7),
                              min_size=1, max_size=23).filter(lambda p: any(p.values()))


def exact_shares(total, weights):
    weight_sum = sum(weights.values(), Fraction(0))
    return {code: total * Fraction(weight) / weight_sum for code, weight in weights.items()}


def assert_apportioned(result, total, exact):
    """Whole yen, adding up exactly, each within 1 yen of its exact value, the odd yen by remainder then code."""
    assert set(result) == set(exact)
    assert all(isinstance(share, int) for share in result.values())
    assert sum(result.values()) == total
    assert all(abs(result[code] - exact[code]) < 1 for code in exact)
    rounded_up = [code for code in exact if result[code] > exact[code]]
    rounded_down = [code for code in exact if result[code] <= exact[code]]
    for up in rounded_up:
        for down in rounded_down:
            up_remainder, down_remainder = exact[up] - (result[up] - 1), exact[down] - result[down]
            assert (up_remainder, down) > (down_remainder, up), (up, down)


# --- split: the largest-remainder apportionment --------------------------------------------------------------------

@given(totals, weightings)
def test_split_adds_up_and_stays_within_a_yen_of_the_exact_share(total, weights):
    assert_apportioned(shares.split(total, weights), total, exact_shares(total, weights))


@given(totals, weightings, st.randoms(use_true_random=False))
def test_split_does_not_depend_on_the_order_the_wards_are_listed_in(total, weights, random):
    items = list(weights.items())
    random.shuffle(items)
    assert shares.split(total, dict(items)) == shares.split(total, weights)


@given(totals, weightings, st.integers(min_value=1, max_value=10**6))
def test_split_depends_only_on_the_proportions(total, weights, factor):
    scaled = {code: weight * factor for code, weight in weights.items()}
    assert shares.split(total, scaled) == shares.split(total, weights)


@given(totals, st.lists(codes, min_size=1, max_size=30, unique=True))
def test_equal_weights_give_the_odd_yen_to_the_lowest_codes(total, wards):
    result = shares.split(total, dict.fromkeys(wards, 1))
    base, odd = divmod(total, len(wards))
    assert result == {code: base + (1 if rank < odd else 0) for rank, code in enumerate(sorted(wards))}


def test_the_largest_remainder_gets_the_odd_yen_before_a_lower_code():
    assert shares.split(10, {"131024": 1, "131016": 1, "131032": 1}) == {"131024": 3, "131016": 4, "131032": 3}  # 3.3… each
    assert shares.split(10, {"131032": 1, "131016": 3}) == {"131032": 2, "131016": 8}  # 2.5 and 7.5: the lower code
    assert shares.split(10, {"131016": 29, "131024": 71}) == {"131016": 3, "131024": 7}  # 2.9 beats 7.1
    assert shares.split(10, {"131016": 21, "131024": 79}) == {"131016": 2, "131024": 8}  # 7.9 beats 2.1


def test_split_keeps_the_order_of_the_weights():
    assert list(shares.split(100, {"131237": 1, "131016": 2, "131121": 3})) == ["131237", "131016", "131121"]


def test_split_accepts_fractions_and_zero_weights():
    assert shares.split(100, {"131016": Fraction(1, 3), "131024": Fraction(2, 3), "131032": 0}) == {
        "131016": 33, "131024": 67, "131032": 0}
    assert shares.split(0, {"131016": 1, "131024": 5}) == {"131016": 0, "131024": 0}


@pytest.mark.parametrize("total,weights,message", [
    (-1, {"131016": 1}, "総額が負の値です"),
    (100, {}, "配分先の団体が指定されていません"),
    (100, {"131016": 1, "131024": -1}, "団体コード「131024」の比率が負の値です"),
    (100, {"131016": 0, "131024": 0}, "比率がすべて0"),
    (100, {"131016": Fraction(0)}, "比率がすべて0"),
])
def test_split_refuses(total, weights, message):
    with pytest.raises(ValueError, match=message):
        shares.split(total, weights)


@pytest.mark.parametrize("total,weights", [
    (100.0, {"131016": 1}),
    (True, {"131016": 1}),
    (100, {"131016": 0.5, "131024": 0.5}),
    (100, {"131016": True}),
])
def test_split_refuses_floats_and_booleans(total, weights):
    with pytest.raises(TypeError):
        shares.split(total, weights)


# --- 均等割 -----------------------------------------------------------------------------------------------------------

def test_55_million_yen_split_equally_among_the_23_wards():
    # 55,000,000 / 23 = 2,391,304.347…: all 23 remainders tie, so the 8 odd yen go to the 8 lowest codes
    result = shares.equal(55_000_000, reversed(list(WARDS)))
    assert sum(result.values()) == 55_000_000
    assert sorted(code for code, share in result.items() if share == 2_391_305) == [
        "131016", "131024", "131032", "131041", "131059", "131067", "131075", "131083"]  # 千代田区 … 江東区
    assert sum(1 for share in result.values() if share == 2_391_304) == 15
    assert result["131091"] == 2_391_304  # 品川区, the 9th code, is the first to miss out


def test_equal_refuses_a_ward_listed_twice_and_no_wards():
    with pytest.raises(ValueError, match="重複"):
        shares.equal(100, ["131016", "131024", "131016"])
    with pytest.raises(ValueError, match="配分先の団体が指定されていません"):
        shares.equal(100, [])


# --- 人口割 -----------------------------------------------------------------------------------------------------------

@given(totals, populations)
def test_by_population_is_proportional_to_population(total, population):
    assert_apportioned(shares.by_population(total, population), total, exact_shares(total, population))


def test_by_population_of_the_census_figures():
    result = shares.by_population(1_000_000_000, shares.ward_populations())
    assert sum(result.values()) == 1_000_000_000
    assert max(result, key=result.get) == "131121"  # 世田谷区, the most populous
    assert min(result, key=result.get) == "131016"  # 千代田区, the least
    assert result["131016"] == 6_850_725  # 10億円 × 66,680 / 9,733,276 = 6,850,725.28…


def test_by_population_refuses_negative_and_all_zero_populations():
    with pytest.raises(ValueError, match="人口が負の値"):
        shares.by_population(100, {"131016": 10, "131024": -1})
    with pytest.raises(ValueError, match="人口がすべて0"):
        shares.by_population(100, {"131016": 0, "131024": 0})
    with pytest.raises(TypeError):
        shares.by_population(100, {"131016": 1.5})


# --- 均等割と人口割の併用 -----------------------------------------------------------------------------------------------

@given(totals, populations, st.integers(min_value=0, max_value=100))
def test_mixed_is_one_apportionment_of_the_exact_blend(total, population, equal_percent):
    wards = list(population)
    result = shares.mixed(total, wards, population, equal_percent)
    p = Fraction(equal_percent, 100)
    population_sum = sum(population.values())
    exact = {code: total * (p / len(wards) + (1 - p) * Fraction(population[code], population_sum)) for code in wards}
    assert_apportioned(result, total, exact)


@given(totals, populations)
def test_mixed_at_100_percent_is_the_equal_split(total, population):
    assert shares.mixed(total, list(population), population, 100) == shares.equal(total, population)


@given(totals, populations)
def test_mixed_at_0_percent_is_the_population_split(total, population):
    assert shares.mixed(total, list(population), population, 0) == shares.by_population(total, population)


def test_mixed_half_and_half_of_the_census_figures():
    population = shares.ward_populations()
    result = shares.mixed(100_000_000, list(WARDS), population, 50)
    assert sum(result.values()) == 100_000_000
    # 千代田区: 5,000万円 / 23 + 5,000万円 × 66,680 / 9,733,276 = 2,173,913.04… + 342,536.26… = 2,516,449.30…
    assert result["131016"] == 2_516_449
    equal_part, population_part = shares.equal(50_000_000, WARDS), shares.by_population(50_000_000, population)
    assert all(abs(result[code] - (equal_part[code] + population_part[code])) <= 1 for code in WARDS)


def test_mixed_at_100_percent_needs_no_populations_but_the_wards():
    assert shares.mixed(10, ["131016", "131024"], {"131016": 0, "131024": 0}, 100) == {"131016": 5, "131024": 5}
    with pytest.raises(ValueError, match="人口がすべて0"):
        shares.mixed(10, ["131016", "131024"], {"131016": 0, "131024": 0}, 99)


@pytest.mark.parametrize("wards,population,equal_percent,message", [
    (["131016"], {"131016": 1}, 101, "0から100まで"),
    (["131016"], {"131016": 1}, -1, "0から100まで"),
    (["131016", "131024"], {"131016": 1}, 50, "人口が指定されていない団体があります: 131024"),
    (["131016"], {"131016": 1, "131024": 1}, 50, "配分先にない団体の人口が指定されています: 131024"),
    ([], {}, 50, "配分先の団体が指定されていません"),
    (["131016", "131016"], {"131016": 1}, 50, "重複"),
    (["131016", "131024"], {"131016": 1, "131024": -1}, 50, "人口が負の値"),
])
def test_mixed_refuses(wards, population, equal_percent, message):
    with pytest.raises(ValueError, match=message):
        shares.mixed(100, wards, population, equal_percent)


def test_mixed_wants_a_whole_percentage():
    with pytest.raises(TypeError):
        shares.mixed(100, ["131016"], {"131016": 1}, 50.0)


# --- 金額を直接入力 -----------------------------------------------------------------------------------------------------

def test_typed_amounts_that_add_up_are_kept_as_typed():
    amounts = {"131016": 1_000_000, "131024": 0, "131032": 4_000_000}
    result = shares.typed(5_000_000, amounts)
    assert result == amounts and result is not amounts


def test_typed_amounts_short_of_the_total_say_by_how_much():
    with pytest.raises(ValueError, match="合計が1,000円少なくなっています") as refused:
        shares.typed(5_000_000, {"131016": 1_000_000, "131024": 3_999_000})
    assert "5,000,000円" in str(refused.value) and "4,999,000円" in str(refused.value)


def test_typed_amounts_over_the_total_say_by_how_much():
    with pytest.raises(ValueError, match="合計が12,345,678円多くなっています"):
        shares.typed(0, {"131016": 12_345_678})


@pytest.mark.parametrize("total,amounts,message", [
    (100, {"131016": 150, "131024": -50}, "団体コード「131024」の金額が負の値です"),
    (-100, {"131016": -100}, "総額が負の値です"),
    (0, {}, "配分先の団体が指定されていません"),
])
def test_typed_refuses(total, amounts, message):
    with pytest.raises(ValueError, match=message):
        shares.typed(total, amounts)


@given(totals, weightings)
def test_typed_accepts_any_apportionment_of_the_total(total, weights):
    apportioned = shares.split(total, weights)
    assert shares.typed(total, apportioned) == apportioned


# --- the shipped populations ------------------------------------------------------------------------------------------

def test_the_shipped_populations_are_the_23_wards_and_add_up_to_the_census_total():
    population = shares.ward_populations()
    assert list(population) == list(WARDS)
    assert all(isinstance(count, int) and count > 0 for count in population.values())
    assert sum(population.values()) == CENSUS_2020_TOTAL
    assert all(is_valid_lg_code(code) for code in population)
    assert population["131016"] == 66_680 and population["131121"] == 943_664


def test_the_shipped_populations_name_their_source():
    source = tomllib.loads(shares.WARD_POPULATIONS_PATH.read_text(encoding="utf-8"))["source"]
    assert source["title"] == "令和2年国勢調査 人口等基本集計"
    assert source["publisher"] == "総務省統計局"
    assert source["total"] == CENSUS_2020_TOTAL
    assert source["url"].startswith("https://www.e-stat.go.jp/")
    assert str(source["reference_date"]) == "2020-10-01"


def test_changing_the_returned_populations_does_not_change_the_next_caller_s():
    shares.ward_populations()["131016"] = 0
    assert shares.ward_populations()["131016"] == 66_680
