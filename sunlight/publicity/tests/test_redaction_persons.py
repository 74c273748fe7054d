"""PUB-5: natural persons known to the case keep their surname, the given name becomes 某 (张三 → 张某)."""

from __future__ import annotations

from sunlight.publicity.redaction import redact


def test_given_name_becomes_mou() -> None:
    result = redact("当事人张三，男，1990年3月7日出生。张三对上述事实无异议。", persons=["张三"])
    assert result.text == "当事人张某，男，1990年3月7日出生。张某对上述事实无异议。"
    assert [(c.kind, c.original, c.replacement) for c in result.changes] == [("person", "张三", "张某")] * 2


def test_compound_surname_is_kept_whole() -> None:
    result = redact("证人欧阳娜娜、司马光、诸葛亮明到场。", persons=["欧阳娜娜", "司马光", "诸葛亮明"])
    assert result.text == "证人欧阳某、司马某、诸葛某到场。"


def test_two_character_name_starting_like_a_compound_surname_keeps_one_character() -> None:
    # 欧阳 as a full name is surname 欧 and given name 阳.
    assert redact("当事人欧阳称", persons=["欧阳"]).text == "当事人欧某称"


def test_persons_with_the_same_surname_are_told_apart_in_order_of_appearance() -> None:
    text = "张四系张三之子。张三、张四、张五均在场，李六未到场。"
    # The order of the `persons` argument does not matter: the text's order does.
    for persons in (["张三", "张四", "张五", "李六"], ["李六", "张五", "张三", "张四"]):
        result = redact(text, persons=persons)
        assert result.text == "张甲系张乙之子。张乙、张甲、张丙均在场，李某未到场。"


def test_a_person_not_in_the_text_does_not_count_for_the_same_surname_rule() -> None:
    assert redact("当事人张三。", persons=["张三", "张四"]).text == "当事人张某。"


def test_compound_surname_groups_apart_from_its_first_character() -> None:
    result = redact("欧阳娜娜与欧明、欧阳修", persons=["欧阳娜娜", "欧明", "欧阳修"])
    assert result.text == "欧阳甲与欧某、欧阳乙"


def test_more_persons_with_one_surname_than_heavenly_stems() -> None:
    given = "一二三四五六七八九十百千"
    names = [f"王{g}" for g in given]
    result = redact("、".join(names), persons=names)
    assert result.text.split("、") == [f"王{m}" for m in "甲乙丙丁戊己庚辛壬癸"] + ["王某11", "王某12"]


def test_a_pseudonym_that_is_someone_s_real_name_is_skipped() -> None:
    result = redact("张三和张四", persons=["张三", "张四", "张甲"])
    assert result.text == "张乙和张丙"


def test_a_name_written_with_a_space_between_its_characters() -> None:
    assert redact("当事人：张　三，李 四", persons=["张三", "李四"]).text == "当事人：张某，李某"


def test_the_longer_of_two_overlapping_names_wins() -> None:
    result = redact("张三丰与张三", persons=["张三", "张三丰"])
    assert result.text == "张甲与张乙"
    assert [c.original for c in result.changes] == ["张三丰", "张三"]


def test_name_inside_a_kept_legal_person_is_untouched() -> None:
    text = "当事人王五餐饮有限公司，法定代表人王五。"
    result = redact(text, persons=["王五"], keep=["王五餐饮有限公司"])
    assert result.text == "当事人王五餐饮有限公司，法定代表人王某。"


def test_kept_officer_names_are_never_touched() -> None:
    text = "执法人员李四、赵六出示执法证件，当事人李四光在场。"
    result = redact(text, persons=["李四光", "赵六"], keep=["李四", "赵六"])
    # A kept name wins over the same name given as a person; a longer person's name containing it is redacted.
    assert result.text == "执法人员李四、赵六出示执法证件，当事人李某在场。"


def test_one_character_and_blank_names_are_ignored() -> None:
    text = "张某某与张三"
    assert redact(text, persons=["张", " ", ""]).text == text


def test_surrounding_whitespace_in_given_names_is_ignored() -> None:
    assert redact("当事人张三", persons=[" 张三 "]).text == "当事人张某"


def test_no_person_s_full_name_remains() -> None:
    persons = ["张三", "张三丰", "欧阳娜娜", "李四"]
    text = "张三丰之子张三与欧阳娜娜、李四、张三丰发生纠纷，欧阳娜娜报警。"
    result = redact(text, persons=persons)
    for name in persons:
        assert name not in result.text
