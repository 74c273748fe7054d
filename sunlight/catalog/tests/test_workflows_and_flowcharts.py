"""REC-1, PUB-1: the step lists of every procedure live in one place, and the flowcharts are drawn from them on the
server as SVG, so that the published chart is what the system enforces."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from sunlight.catalog.flowchart import render_svg, wrap
from sunlight.catalog.workflows import WORKFLOWS, is_known_step, step_choices, workflows_for
from sunlight.core.deadlines import RULES
from sunlight.org.choices import ActionType

SVG = "{http://www.w3.org/2000/svg}"


def test_every_action_type_has_a_procedure_with_unique_step_codes():
    for action_type in ActionType.values:
        assert workflows_for(action_type), action_type
    for workflow in WORKFLOWS.values():
        codes = [s.code for s in workflow.steps]
        assert len(codes) == len(set(codes)), workflow.code
        assert codes[-1] == "archiving"
    assert [wf.code for wf in workflows_for(ActionType.PENALTY)] == ["penalty", "penalty_simple"]


def test_deadlines_named_by_steps_are_rules_of_the_engine():
    rule_codes = {r.code for r in RULES}
    for workflow in WORKFLOWS.values():
        for step in workflow.steps:
            assert step.deadline is None or step.deadline in rule_codes, (workflow.code, step.code)


def test_step_variants_are_known_steps():
    assert is_known_step(ActionType.PENALTY, "service.lodged")
    assert not is_known_step(ActionType.PENALTY, "service.teleport")
    assert ("hearing", "听证") in step_choices(ActionType.PENALTY)


@pytest.mark.parametrize("code", sorted(WORKFLOWS))
def test_the_flowchart_is_valid_svg_with_every_step_in_order(code):
    workflow = WORKFLOWS[code]
    svg = render_svg(workflow)
    root = ET.fromstring(svg)  # noqa: S314  (our own output: checking it is well-formed XML)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title").text == f"{workflow.name}流程图"
    groups = root.findall(f"{SVG}g")
    assert [g.get("data-step") for g in groups] == [s.code for s in workflow.steps]
    for group, step in zip(groups, workflow.steps, strict=True):
        text = "".join(t.text or "" for t in group.iter(f"{SVG}text"))
        assert str(step.name).replace(" ", "") in text.replace(" ", "")
        dashed = group.find(f"{SVG}rect").get("stroke-dasharray") is not None
        assert dashed == step.optional
    y = [float(g.find(f"{SVG}rect").get("y")) for g in groups]
    assert y == sorted(y)


def test_text_is_escaped_and_wrapped():
    assert wrap("一二三四五", 2) == ["一二", "三四", "五"]
    assert wrap("abcd", 1) == ["ab", "cd"]
    svg = render_svg(WORKFLOWS["coercion"])
    assert "全程音像" in svg and "<script" not in svg
