"""REV-1: each agency's major-decision catalog is a set of declarative rules edited by its legal department; a case is
classified automatically and every rule it meets is given with the reason in words."""

from __future__ import annotations

import pytest

from sunlight.catalog import services
from sunlight.catalog.choices import CatalogKind, Criterion, PartyKind
from sunlight.catalog.models import MajorRule
from sunlight.catalog.selectors import CaseFacts, major_rules_met
from sunlight.catalog.versioning import content_of
from sunlight.core.calendar import shift_months
from sunlight.core.errors import Forbidden, ServiceError
from sunlight.org.choices import ActionType

from .factories import WAN, major_catalog, new_major_rule, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules(catalog):
    major_catalog(catalog)
    return catalog


def met(catalog, on=None, **facts):
    return major_rules_met(agency=catalog.agency, facts=CaseFacts(**facts), on=on or today())


def test_a_small_case_is_not_major(rules):
    assert met(rules, action_type=ActionType.PENALTY, fine_fen=5000_00, party=PartyKind.INDIVIDUAL) == []


def test_fine_thresholds_depend_on_the_party(rules):
    individual = met(rules, action_type=ActionType.PENALTY, fine_fen=2 * WAN, party=PartyKind.INDIVIDUAL)
    assert [r.rule_code for r in individual] == ["MR-02"]
    assert individual[0].reason == "拟罚款2万元，达到“对公民处以1万元以上罚款”的标准（对公民1万元以上）。"
    assert met(rules, action_type=ActionType.PENALTY, fine_fen=2 * WAN, party=PartyKind.ORGANISATION) == []
    organisation = met(rules, action_type=ActionType.PENALTY, fine_fen=10 * WAN, party=PartyKind.ORGANISATION)
    assert [r.rule_code for r in organisation] == ["MR-01"]
    # Exactly at the threshold counts ("以上" includes it).
    assert [r.rule_code for r in met(rules, action_type="penalty", fine_fen=WAN, party="individual")] == ["MR-02"]


def test_an_unknown_party_is_held_to_the_stricter_threshold(rules):
    reasons = met(rules, action_type=ActionType.PENALTY, fine_fen=2 * WAN)
    assert [r.rule_code for r in reasons] == ["MR-02"]
    assert "当事人类别未确定，按从严标准认定" in reasons[0].reason


def test_every_rule_a_case_meets_is_listed_with_its_reason(rules):
    reasons = met(
        rules,
        action_type=ActionType.PENALTY,
        fine_fen=50 * WAN,
        confiscation_fen=12 * WAN,
        revokes_licence=True,
        suspension=True,
        hearing_held=True,
        complex=True,
        public_interest=True,
        social_risk=True,
        third_party_rights=True,
        suspected_crime=True,
        party=PartyKind.ORGANISATION,
    )
    assert [r.rule_code for r in reasons] == [f"MR-{n:02d}" for n in range(1, 12) if n != 2]
    by_code = {r.rule_code: r for r in reasons}
    assert (
        by_code["MR-03"].reason
        == "拟没收违法所得和非法财物12万元，达到“没收违法所得、非法财物价值10万元以上”的标准（10万元以上）。"
    )
    assert by_code["MR-06"].reason == "案件经过听证程序，属于重大执法决定目录“经过听证程序作出的行政执法决定”。"
    assert by_code["MR-11"].criterion == Criterion.SUSPECTED_CRIME


def test_rules_limited_to_action_types(rules):
    assert [r.rule_code for r in met(rules, action_type=ActionType.EXPROPRIATION)] == ["MR-12"]
    assert met(rules, action_type=ActionType.LICENCE, fine_fen=100 * WAN, party="organisation") == []
    assert [r.rule_code for r in met(rules, action_type=ActionType.LICENCE, revokes_licence=True)] == ["MR-04"]


def test_the_legal_department_edits_a_rule_as_a_new_version_with_its_effective_date(rules):
    rule = MajorRule.objects.get(agency=rules.agency, code="MR-02")
    v1 = rule.versions.get()
    content = content_of(CatalogKind.MAJOR_RULE, v1)
    content.update(title="对公民处以2万元以上罚款", amount_fen=2 * WAN)
    later = shift_months(today(), 1)
    with pytest.raises(Forbidden):
        services.version_draft(
            acting_user=rules.editor,
            kind=CatalogKind.MAJOR_RULE,
            entry=rule,
            content=content,
            meta={"effective_from": later},
        )
    v2 = services.version_draft(
        acting_user=rules.reviewer,
        kind=CatalogKind.MAJOR_RULE,
        entry=rule,
        content=content,
        meta={"effective_from": later},
    )
    services.version_submit(acting_user=rules.reviewer, version=v2)
    services.version_publish(confidentiality_checked=True, acting_user=rules.reviewer, version=v2)
    facts = {"action_type": ActionType.PENALTY, "fine_fen": 15_000_00, "party": PartyKind.INDIVIDUAL}
    assert [r.version for r in met(rules, **facts)] == [1]  # the old threshold until the new one takes effect
    assert met(rules, on=later, **facts) == []
    assert [(r.rule_code, r.version) for r in met(rules, on=later, **{**facts, "fine_fen": 2 * WAN})] == [("MR-02", 2)]


def test_amount_rules_need_an_amount_and_flag_rules_none(catalog):
    with pytest.raises(ServiceError) as refused:
        new_major_rule(catalog, "MR-X", Criterion.FINE_AT_LEAST, "罚款达到标准")
    assert refused.value.errors[0].field == "amount_fen"
    with pytest.raises(ServiceError) as refused:
        new_major_rule(catalog, "MR-Y", Criterion.COMPLEX, "疑难复杂", amount_yuan=5, party=PartyKind.INDIVIDUAL)
    assert {e.field for e in refused.value.errors} == {"amount_fen", "party"}
    with pytest.raises(ServiceError) as refused:
        new_major_rule(catalog, "MR-Z", Criterion.ACTION_TYPE, "某类行为")
    assert refused.value.errors[0].field == "action_types"
