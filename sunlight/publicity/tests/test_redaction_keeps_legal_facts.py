"""PUB-5: what a published decision must still say stays intact: legal persons, codes, document numbers, dates,
amounts, legal provisions, agencies and officers."""

from __future__ import annotations

import pytest

from sunlight.core.ids import is_valid_uscc, uscc_check_char
from sunlight.publicity.redaction import redact

USCC = "91341221MA2T5K8L0" + uscc_check_char("91341221MA2T5K8L0")
# An all-digit credit code: 18 digits like an ID number, but its check is GB 32100's, and it has no birth date.
USCC_DIGITS = next(
    code
    for n in range(1000)
    if (code := f"91341221{n:09d}" + uscc_check_char(f"91341221{n:09d}")).isdigit() and is_valid_uscc(code)
)

DECISION = f"""临泉县市场监督管理局
行政处罚决定书
临市监罚〔2026〕12号

当事人：王五餐饮有限公司
统一社会信用代码：{USCC}
住所：安徽省阜阳市临泉县城关街道人民路88号
法定代表人：王五，身份证号码：11010519491231002X，联系电话：13812345678

2026年3月15日，本局执法人员李四（执法证号34122126001）、赵六对当事人经营场所进行检查，发现当事人经营超过保质期的食品，
货值金额人民币1,234.50元，违法所得人民币860元。另查明，供货商临泉县鑫源商贸有限公司（统一社会信用代码：{USCC_DIGITS}）
已另案处理。

当事人的行为违反了《中华人民共和国食品安全法》第三十四条第（十）项的规定。依据《中华人民共和国食品安全法》第一百二十四条
第一款第（五）项、《安徽省市场监督管理行政处罚裁量权基准》第12条的规定，本局决定：
一、没收违法所得860元；
二、罚款人民币50,000.00元（伍万元整）。

当事人应当自收到本决定书之日起十五日内，将罚款缴至指定银行。逾期不缴纳的，每日按罚款数额的3%加处罚款。
如不服本处罚决定，可以在收到本决定书之日起六十日内向临泉县人民政府申请行政复议，也可以在六个月内依法向临泉县人民法院
提起行政诉讼。

临泉县市场监督管理局
2026年4月2日
"""


def test_decision_changes_only_personal_data() -> None:
    result = redact(DECISION, persons=["王五"], keep=["王五餐饮有限公司", "李四", "赵六"])
    assert [(c.kind, c.original) for c in result.changes] == [
        ("address", "城关街道人民路88号"),
        ("person", "王五"),
        ("id_number", "11010519491231002X"),
        ("mobile", "13812345678"),
    ]
    expected = (
        DECISION.replace("临泉县城关街道人民路88号", "临泉县")
        .replace("法定代表人：王五，", "法定代表人：王某，")
        .replace("11010519491231002X", "*" * 18)
        .replace("13812345678", "*" * 11)
    )
    assert result.text == expected


@pytest.mark.parametrize(
    "fact",
    [
        USCC,
        USCC_DIGITS,
        "临市监罚〔2026〕12号",
        "皖阜临市监罚字[2026]第0012号",
        "2026年3月15日",
        "2026-03-15",
        "20260315",
        "人民币1,234.50元",
        "50000元",
        "1234567.89元",
        "第三十四条第（十）项",
        "第12条第2款",
        "《中华人民共和国行政处罚法》",
        "执法证号34122126001",
        "案号（2026）皖1221行初12号",
        "邮编236400",
    ],
)
def test_legal_facts_are_unchanged(fact: str) -> None:
    text = f"依据：{fact}。"
    assert redact(text, persons=["张三"]).text == text


def test_a_credit_code_is_not_mistaken_for_an_id_number() -> None:
    assert len(USCC_DIGITS) == 18 and USCC_DIGITS.isdigit()
    text = f"统一社会信用代码{USCC_DIGITS}，身份证号11010519491231002X"
    result = redact(text)
    assert [c.original for c in result.changes] == ["11010519491231002X"]


def test_kept_names_are_never_changed_even_when_they_look_like_addresses() -> None:
    name = "临泉县城关镇人民路88号便民服务点"
    text = f"经营者：{name}。"
    assert redact(text, keep=[name]).text == text
