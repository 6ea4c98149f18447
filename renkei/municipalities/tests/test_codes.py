import pytest

from renkei.municipalities.codes import (
    check_digit,
    is_valid_lg_code,
    is_valid_prefecture_code,
    lg_code_error,
    with_check_digit,
)


@pytest.mark.parametrize(
    "code",
    ["010006", "131016", "131237", "011002", "473821", "221309", "015814"],
)
def test_known_codes_are_valid(code):
    assert is_valid_lg_code(code)
    assert with_check_digit(code[:5]) == code


def test_remainder_zero_and_one_give_one_and_zero():
    # The weighted sums here leave remainders 0, 10 and 8.
    assert check_digit("00000") == "1"  # sum 0 → 11 → last digit 1
    assert check_digit("00005") == "1"  # sum 10, 10 % 11 = 10 → 1
    assert check_digit("00004") == "3"  # sum 8 → 3


def test_wrong_check_digit_is_explained():
    assert not is_valid_lg_code("131017")
    assert "検査数字" in lg_code_error("131017")


@pytest.mark.parametrize("code", ["13101", "1310166", "abcdef", "", "13 016"])
def test_malformed_code_is_explained(code):
    assert not is_valid_lg_code(code)
    assert "6桁の数字" in lg_code_error(code)


def test_check_digit_refuses_other_lengths():
    with pytest.raises(ValueError):
        check_digit("1234")


@pytest.mark.parametrize("code,valid", [("01", True), ("13", True), ("47", True), ("00", False),
                                        ("48", False), ("1", False), ("ab", False)])
def test_prefecture_codes(code, valid):
    assert is_valid_prefecture_code(code) is valid
