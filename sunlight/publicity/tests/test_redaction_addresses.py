"""PUB-5: an address keeps its part up to county level; township, street, village, road and number are removed."""

from __future__ import annotations

import pytest

from sunlight.publicity.redaction import redact


@pytest.mark.parametrize(
    ("address", "kept"),
    [
        ("安徽省阜阳市临泉县城关街道人民路88号", "安徽省阜阳市临泉县"),
        ("临泉县城关镇张庄村", "临泉县"),
        ("临泉县城关镇张庄村三组", "临泉县"),
        ("北京市朝阳区建国路88号院3号楼2单元501室", "北京市朝阳区"),
        ("上海市浦东新区张江镇科苑路100号", "上海市浦东新区"),
        ("界首市光武镇人民路8号", "界首市"),  # a county-level city
        ("萧县龙城镇幸福小区5栋302室", "萧县"),  # a one-character county name
        ("内蒙古自治区鄂尔多斯市达拉特旗树林召镇林原街12号", "内蒙古自治区鄂尔多斯市达拉特旗"),
        ("阜阳市颍州区清河路１２号", "阜阳市颍州区"),  # full-width digits
        ("临泉县市府路8号", "临泉县"),  # road names made from administrative words
        ("临泉县红旗路8号", "临泉县"),
        ("徐州市鼓楼区郑州路8号", "徐州市鼓楼区"),
        ("济南市市中区经十路88号", "济南市市中区"),
        ("大连市中山区人民路8号", "大连市中山区"),
        ("北京市东城区东四十条8号", "北京市东城区"),
        ("广东省中山市石岐区孙文路8号", "广东省中山市石岐区"),
        ("临泉县经济开发区光明路8号", "临泉县经济开发区"),
        ("临泉县鲖城镇郭庄村委会东200米路北", "临泉县"),
        ("临泉县城关镇张庄村东头", "临泉县"),
        ("临泉县城关镇人民路与解放路交叉口东北角", "临泉县"),
        ("临泉县城关镇人民路88号北京烤鸭店对面", "临泉县"),
    ],
)
def test_address_is_cut_after_the_county(address: str, kept: str) -> None:
    result = redact(f"住{address}，")
    assert result.text == f"住{kept}，"
    assert [c.kind for c in result.changes] == ["address"]
    assert result.changes[0].replacement == ""


def test_several_addresses_in_one_text() -> None:
    text = "当事人住临泉县城关镇张庄村，经营场所位于临泉县城关街道人民路88号。"
    assert redact(text).text == "当事人住临泉县，经营场所位于临泉县。"


def test_a_township_alone_is_kept() -> None:
    text = "当事人户籍地为临泉县城关镇。临泉县城关镇辖区内共有3个村。"
    assert redact(text).text == text


@pytest.mark.parametrize(
    "text",
    [
        "临泉县城关镇人民政府",
        "临泉县城关镇张庄村村民委员会",
        "临泉县城关镇张庄村委会",
        "临泉县城关街道人民路张三小吃店",
        "临泉县城关镇人民路88号某某食品有限公司",
        "临泉县城关镇中心小学",
        "临泉县城关街道办事处",
    ],
)
def test_an_organisation_named_after_its_address_is_not_cut(text: str) -> None:
    sentence = f"当事人{text}，"
    assert redact(sentence).text == sentence


@pytest.mark.parametrize(
    "text",
    [
        "临泉县市场监督管理局城关市场监督管理所执法人员在本市开展检查。",
        "全县范围内共检查超市12家、农贸市场3个，城市管理综合执法局配合。",
        "该区域内共有3个村，辖区内有2个社区。",
        "应当区分处理，县级以上人民政府市场监督管理部门负责。",
        "当事人在夜市路边摆摊，本区城管部门依法处理，市民反映强烈。",
        "依据《安徽省食品小作坊和食品摊贩管理条例》第十二条第二款。",
        "临泉县人民法院、临泉县人民政府、阜阳市中级人民法院。",
        "当事人在其经营的门市部内销售商品，共计5组。",
    ],
)
def test_ordinary_text_is_not_eaten(text: str) -> None:
    assert redact(text).text == text


def test_a_kept_name_stops_an_address_cut() -> None:
    text = "当事人住临泉县城关镇幸福村，系临泉县城关镇幸福村便利店经营者。"
    kept = redact(text, keep=["临泉县城关镇幸福村便利店"])
    assert kept.text == "当事人住临泉县，系临泉县城关镇幸福村便利店经营者。"
