"""Splitting a joint fund (共同拠出金) among the 23 special wards (特別区) in whole yen.

Every rule ends in one largest-remainder (最大剰余方式, Hamilton) apportionment, so whatever the rule the shares are
whole yen, add up to the total exactly, and each lies within 1 yen of its exact value. Pure Python: the arithmetic is
done in fractions.Fraction throughout, because a float would make 「1円単位で合計が合う」 a matter of luck.
"""

import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping
from fractions import Fraction
from functools import cache
from pathlib import Path

WARD_POPULATIONS_PATH = Path(__file__).resolve().parent / "data" / "ward_populations.toml"


def split(total: int, weights: Mapping[str, Fraction | int]) -> dict[str, int]:
    """按分 (proportional split) of ``total`` yen by ``weights``, keyed by 団体コード, by the largest-remainder method.

    Each share is first rounded down; the yen left over go one each to the largest fractional parts (端数の大きい順),
    ties going to the lower 団体コード. The result keeps the order of ``weights``.
    """
    _check_total(total)
    if not weights:
        raise ValueError("配分先の団体が指定されていません。")
    for code, weight in weights.items():
        # bool is an int; a float would bring rounding back in through Fraction(0.1) != 1/10
        if isinstance(weight, bool) or not isinstance(weight, int | Fraction):
            raise TypeError(f"団体コード「{code}」の比率は整数か分数（Fraction）で指定してください。")
        if weight < 0:
            raise ValueError(f"団体コード「{code}」の比率が負の値です。")
    weight_sum = sum(weights.values(), Fraction(0))
    if weight_sum == 0:
        raise ValueError("比率がすべて0のため、配分できません。")

    exact = {code: total * Fraction(weight) / weight_sum for code, weight in weights.items()}
    shares = {code: value.numerator // value.denominator for code, value in exact.items()}
    # fewer than len(weights) yen are left, since each share lost less than 1 yen to the rounding down
    left_over = total - sum(shares.values())
    by_remainder = sorted(exact, key=lambda code: (-(exact[code] - shares[code]), code))
    for code in by_remainder[:left_over]:
        shares[code] += 1
    return shares


def equal(total: int, wards: Iterable[str]) -> dict[str, int]:
    """均等割: every ward gets the same share, the odd yen going to the lowest 団体コード."""
    wards = _distinct(wards)
    return split(total, dict.fromkeys(wards, 1))


def by_population(total: int, populations: Mapping[str, int]) -> dict[str, int]:
    """人口割: shares in proportion to each ward's population."""
    _check_populations(populations)
    if populations and not any(populations.values()):
        raise ValueError("人口がすべて0のため、人口割を計算できません。")
    return split(total, populations)


def mixed(total: int, wards: Iterable[str], populations: Mapping[str, int], equal_percent: int) -> dict[str, int]:
    """均等割と人口割の併用: ``equal_percent`` % of the fund split equally, the rest by population (e.g. 50 → 半々).

    The two parts are not apportioned separately and added, which could leave a share up to 2 yen from its exact
    value; the exact weights p/100 × 1/n + (1 − p/100) × 人口/総人口 go through one apportionment instead.
    """
    if isinstance(equal_percent, bool) or not isinstance(equal_percent, int):
        raise TypeError("均等割の割合は整数（パーセント）で指定してください。")
    if not 0 <= equal_percent <= 100:
        raise ValueError(f"均等割の割合は0から100までで指定してください（{equal_percent}が指定されました）。")
    wards = _distinct(wards)
    if not wards:
        raise ValueError("配分先の団体が指定されていません。")
    missing = [code for code in wards if code not in populations]
    listed = set(wards)
    extra = [code for code in populations if code not in listed]
    if missing:
        raise ValueError(f"人口が指定されていない団体があります: {'、'.join(missing)}")
    if extra:
        raise ValueError(f"配分先にない団体の人口が指定されています: {'、'.join(extra)}")
    _check_populations(populations)

    equal_part = Fraction(equal_percent, 100)
    population_sum = sum(populations[code] for code in wards)
    if population_sum == 0 and equal_part < 1:
        raise ValueError("人口がすべて0のため、人口割を計算できません。")
    # at 100 % the population term is 0 × 0/0; leaving it out keeps 均等割のみ usable without populations
    population_part = (1 - equal_part) / population_sum if equal_part < 1 else Fraction(0)
    weights = {code: equal_part / len(wards) + population_part * populations[code] for code in wards}
    return split(total, weights)


def typed(total: int, amounts: Mapping[str, int]) -> dict[str, int]:
    """金額を直接入力: the amounts are taken as typed, once they are checked to add up to the total."""
    _check_total(total)
    if not amounts:
        raise ValueError("配分先の団体が指定されていません。")
    for code, amount in amounts.items():
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise TypeError(f"団体コード「{code}」の金額は円単位の整数で指定してください。")
        if amount < 0:
            raise ValueError(f"団体コード「{code}」の金額が負の値です。")
    difference = sum(amounts.values()) - total
    if difference:
        direction = "多く" if difference > 0 else "少なく"
        raise ValueError(f"合計が{abs(difference):,}円{direction}なっています（総額 {total:,}円、入力の合計 "
                         f"{sum(amounts.values()):,}円）。")
    return dict(amounts)


def ward_populations() -> dict[str, int]:
    """The 23 wards' populations in the 令和2年国勢調査, by 団体コード (data/ward_populations.toml)."""
    # a fresh dict each time: a caller changing it must not change what the next caller reads from the cache
    return dict(_load_ward_populations())


@cache
def _load_ward_populations() -> tuple[tuple[str, int], ...]:
    data = tomllib.loads(WARD_POPULATIONS_PATH.read_text(encoding="utf-8"))
    populations = data["populations"]
    if sum(populations.values()) != data["source"]["total"]:
        raise ValueError(f"{WARD_POPULATIONS_PATH.name}: 各区の人口の合計が[source]のtotalと一致しません。")
    return tuple(populations.items())


def _check_total(total: int) -> None:
    if isinstance(total, bool) or not isinstance(total, int):
        raise TypeError("総額は円単位の整数で指定してください。")
    if total < 0:
        raise ValueError(f"総額が負の値です（{total:,}円）。")


def _check_populations(populations: Mapping[str, int]) -> None:
    for code, population in populations.items():
        if isinstance(population, bool) or not isinstance(population, int):
            raise TypeError(f"団体コード「{code}」の人口は整数で指定してください。")
        if population < 0:
            raise ValueError(f"団体コード「{code}」の人口が負の値です。")


def _distinct(wards: Iterable[str]) -> list[str]:
    wards = list(wards)
    # a ward listed twice would silently get two shares under 均等割
    duplicates = sorted(code for code, count in Counter(wards).items() if count > 1)
    if duplicates:
        raise ValueError(f"同じ団体が重複して指定されています: {'、'.join(duplicates)}")
    return wards
