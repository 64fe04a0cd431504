"""The labelled set of real ILO texts (`real_set.jsonl`): its shape, the targets on it and a few
texts whose mentions are spelt out here, as a reader finds them."""

from collections import Counter

import pytest

from kg.linking.evaluation import LABELLED_SETS, TARGET_PRECISION, TARGET_RECALL, evaluate, load_evaluation_set

REAL = next(labelled for labelled in LABELLED_SETS if labelled.name == "real (ILO export sample)")
TEXTS = load_evaluation_set(REAL.path)
BY_ID = {item.id: item for item in TEXTS}


def test_the_real_set_covers_every_kind_of_text_in_three_languages():
    assert len(TEXTS) >= 150 and len(BY_ID) == len(TEXTS)
    kinds = Counter(item.kind for item in TEXTS)
    assert set(kinds) == {"recommendation", "lesson", "good-practice"} and min(kinds.values()) >= 20
    fields = Counter(item.field for item in TEXTS if item.kind == "recommendation")
    assert set(fields) == {"Recommendation description", "Action plan", "Comments"}
    assert set(Counter(item.language for item in TEXTS)) == {"en", "es", "fr"}
    assert sum(len(item.mentions) for item in TEXTS) >= 300
    assert sum(not item.mentions for item in TEXTS) >= 30  # texts that name no agency
    assert all(item.record and item.id.startswith(f"{item.kind}-{item.record}-") for item in TEXTS)


def test_the_real_set_names_many_partners_not_only_the_ilo():
    organizations = Counter(span.organization for item in TEXTS for span in item.mentions)
    assert len(organizations) >= 30
    assert organizations["ilo"] < sum(organizations.values()) * 0.75


@pytest.mark.parametrize("labelled", LABELLED_SETS, ids=lambda labelled: labelled.name)
def test_targets_hold_on_every_bundled_set(labelled, matcher, countries):
    report = evaluate(load_evaluation_set(labelled.path), matcher, countries)
    assert report.overall.precision >= TARGET_PRECISION, report.misses
    assert report.overall.recall >= TARGET_RECALL, report.misses
    assert report.targets_met and report.negatives_linked == []
    for name, counts in [*report.by_language.items(), *report.by_kind.items()]:
        assert counts.precision >= TARGET_PRECISION and counts.recall >= TARGET_RECALL, name


EXPECTED = {
    # a Spanish action plan: the government took advice from the two banks, not from the ILO
    "recommendation-11080-action-plan": [
        ("world-bank", "Banco Mundial"), ("idb", "Banco Interamericano de Desarrollo"), ("ilo", "OIT"), ("ilo", "OIT")],
    # a Spanish recommendation naming the ILO's Montevideo centre by its own name
    "recommendation-15925-text": [("cinterfor", "OIT/CINTERFOR")],
    "recommendation-15933-text": [("ilo", "OIT"), ("un-women", "ONU Mujeres")],
    # a French good practice: the ILO as "BIT", joined to a project's name
    "good-practice-163874-text": [("ilo", "BIT")],
    # a comment listing the donors of a working group in Lebanon
    "recommendation-17113-comments": [
        ("ilo", "ILO"), ("unicef", "UNICEF"), ("world-bank", "World Bank"), ("afd", "AFD"), ("giz", "GIZ"),
        ("kfw", "KFW"), ("eu", "EU"), ("etf", "ETF"), ("aics", "AICS"), ("usaid", "USAID")],
    # Sida as the ILO's English texts write it
    "recommendation-15128-comments": [("ilo", "ILO"), ("sida", "SIDA")],
    # "EC-INTPA" is one service of the Commission; "EC-ILO" two partners
    "recommendation-1148357-comments": [("dg-intpa", "EC-INTPA")],
    # the ILO's ITC is its Turin centre
    "good-practice-240806-text": [("ilo", "ILO")] * 3 + [("itcilo", "ITC"), ("ilo", "ILO"), ("ilo", "ILO")],
    "recommendation-12429-action-plan": [("itcilo", "ITC ILO")],
    # a French lesson naming no agency
    "lesson-163835-text": [],
}


@pytest.mark.parametrize("text_id", sorted(EXPECTED))
def test_mentions_of_chosen_real_texts(text_id, found):
    item = BY_ID[text_id]
    assert [(span.organization, span.surface) for span in item.mentions] == EXPECTED[text_id]
    assert found(item.text) == EXPECTED[text_id]
