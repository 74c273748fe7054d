"""PUB-5: the confirmation screen shows original and redacted text side by side, every change marked by kind."""

from __future__ import annotations

from django.template import Context, Template

from sunlight.publicity.redaction import redact, side_by_side_html


def test_every_change_is_marked_with_its_kind_on_both_sides() -> None:
    result = redact("当事人张三，电话13812345678，住临泉县城关镇张庄村。", persons=["张三"])
    before, after = side_by_side_html(result)
    assert before == (
        '当事人<mark class="redaction redaction-person">张三</mark>，电话'
        '<mark class="redaction redaction-mobile">13812345678</mark>，住临泉县'
        '<mark class="redaction redaction-address">城关镇张庄村</mark>。'
    )
    assert after == (
        '当事人<mark class="redaction redaction-person">张某</mark>，电话'
        '<mark class="redaction redaction-mobile">***********</mark>，住临泉县'
        '<mark class="redaction redaction-address"></mark>。'
    )


def test_text_is_escaped() -> None:
    result = redact('<script>alert("张三")</script> & 张三', persons=["张三"])
    before, after = side_by_side_html(result)
    assert "<script>" not in before and "<script>" not in after
    assert before.startswith("&lt;script&gt;alert(&quot;<mark")
    assert after.endswith('&amp; <mark class="redaction redaction-person">张某</mark>')


def test_no_changes_gives_the_escaped_text_twice() -> None:
    assert side_by_side_html(redact("a < b")) == ("a &lt; b", "a &lt; b")


def test_output_renders_unescaped_in_templates() -> None:
    _, after = side_by_side_html(redact("张三", persons=["张三"]))
    rendered = Template("{{ html }}").render(Context({"html": after}))
    assert rendered == '<mark class="redaction redaction-person">张某</mark>'
