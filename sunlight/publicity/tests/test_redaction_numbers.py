"""PUB-5: ID numbers, mobile and landline numbers, bank cards and e-mail addresses are masked digit by digit."""

from __future__ import annotations

import pytest

from sunlight.publicity.redaction import redact


def gb11643_check(first17: str) -> str:
    """ISO 7064 MOD 11-2, written out independently of the engine."""
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def luhn_complete(prefix: str) -> str:
    """`prefix` followed by the digit that makes it pass the Luhn check."""
    for last in "0123456789":
        digits = [int(d) for d in prefix + last]
        total = sum(d if i % 2 == 0 else (d * 2 - 9 if d > 4 else d * 2) for i, d in enumerate(reversed(digits)))
        if total % 10 == 0:
            return prefix + last
    raise AssertionError("unreachable")


def only_change(text: str) -> tuple[str, str, str]:
    result = redact(text)
    assert len(result.changes) == 1, result.changes
    change = result.changes[0]
    return change.kind, change.original, change.replacement


# The example in GB 11643-1999 and a widely cited sample number.
STANDARD_IDS = ["11010519491231002X", "440524188001010014"]


@pytest.mark.parametrize("number", STANDARD_IDS)
def test_the_standard_s_examples_have_the_check_digit_we_compute(number: str) -> None:
    assert gb11643_check(number[:17]) == number[17]


@pytest.mark.parametrize("number", [*STANDARD_IDS, "11010519491231002x", "340121199003078417"])
def test_valid_id_number_is_masked_whole(number: str) -> None:
    assert gb11643_check(number[:17]) == number[17].upper()
    result = redact(f"身份证号：{number}。")
    assert result.text == "身份证号：" + "*" * 18 + "。"
    assert [c.kind for c in result.changes] == ["id_number"]


def test_id_number_grouped_by_spaces_is_masked() -> None:
    assert redact("公民身份号码 110105 19491231 002X 。").text == "公民身份号码 ****** ******** **** 。"


def test_full_width_id_number_is_masked() -> None:
    assert redact("身份证号１１０１０５１９４９１２３１００２Ｘ").text == "身份证号" + "*" * 18


def test_old_fifteen_digit_id_number_is_masked() -> None:
    assert only_change("身份证号110105491231002，") == ("id_number", "110105491231002", "*" * 15)


def test_eighteen_digits_shaped_like_an_id_number_with_a_wrong_check_digit_are_masked() -> None:
    mistyped = "34012119900307841" + str((int(gb11643_check("34012119900307841")) + 1) % 10)
    assert gb11643_check(mistyped[:17]) != mistyped[17]
    assert only_change(f"身份证号{mistyped}")[0] == "id_number"


def test_a_long_number_that_is_neither_an_id_nor_a_card_is_left_alone() -> None:
    number = "202603150000000013"  # no province 20, no birth date, wrong check digit, fails Luhn
    assert gb11643_check(number[:17]) != number[17]
    assert luhn_complete(number[:17]) != number
    text = f"案件编号{number}，"
    assert redact(text).text == text


@pytest.mark.parametrize(
    "phone",
    [
        "13812345678",
        "138-1234-5678",
        "138 1234 5678",
        "+86 13812345678",
        "+86-138-1234-5678",
        "8613812345678",
        "008619912345678",
        "１３８１２３４５６７８",
    ],
)
def test_mobile_numbers_in_common_forms_are_masked(phone: str) -> None:
    kind, original, replacement = only_change(f"联系电话：{phone}，")
    assert (kind, original) == ("mobile", phone)
    assert not any(ch.isdigit() for ch in replacement)
    assert len(replacement) == len(phone)


def test_mobile_masking_keeps_separators() -> None:
    assert redact("电话138-1234-5678").text == "电话***-****-****"


def test_several_mobiles_next_to_each_other() -> None:
    assert redact("电话13812345678 15912345678、17712345678").text == "电话*********** ***********、***********"


@pytest.mark.parametrize("text", ["编号123456789012", "金额12812345678.5", "编号213812345678"])
def test_numbers_that_are_not_mobiles_are_left_alone(text: str) -> None:
    assert "mobile" not in {c.kind for c in redact(text).changes}


@pytest.mark.parametrize(
    "phone",
    [
        "0558-6123456",
        "0558 6123456",
        "(0558)6123456",
        "（0558）6123456",
        "010-61234567",
        "0558-6123456转123",
        "0558-61234567-8001",
    ],
)
def test_landlines_are_masked(phone: str) -> None:
    kind, original, replacement = only_change(f"电话{phone}。")
    assert (kind, original) == ("landline", phone)
    assert not any(ch.isdigit() for ch in replacement)


def test_bank_card_numbers_passing_luhn_are_masked() -> None:
    card19 = luhn_complete("622202123456789012")
    card16 = luhn_complete("622848001234567")
    grouped = " ".join(card16[i : i + 4] for i in range(0, 16, 4))
    result = redact(f"开户行账号{card19}，另一卡号 {grouped} 。")
    assert result.text == "开户行账号" + "*" * 19 + "，另一卡号 **** **** **** **** 。"
    assert [c.kind for c in result.changes] == ["bank_card", "bank_card"]


def test_a_card_like_number_failing_luhn_is_left_alone() -> None:
    card = luhn_complete("622848001234567")
    wrong = card[:-1] + str((int(card[-1]) + 1) % 10)
    assert redact(f"卡号{wrong}").text == f"卡号{wrong}"


@pytest.mark.parametrize("email", ["zhangsan@example.com", "zhang.san+case@mail.example.com.cn", "12345678@qq.com"])
def test_email_addresses_are_masked(email: str) -> None:
    kind, original, replacement = only_change(f"电子邮箱：{email}。")
    assert (kind, original) == ("email", email)
    assert set(replacement) <= {"*", "@", ".", "+"}


def test_masks_keep_the_length_of_the_text() -> None:
    text = "身份证号11010519491231002X，电话13812345678，邮箱a@b.cn"
    result = redact(text)
    assert len(result.text) == len(text)
    assert all(len(c.replacement) == len(c.original) for c in result.changes)
