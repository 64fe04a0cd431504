"""Lesson-learned and good-practice pages read like recommendation pages, in every form:
each test page (tests/data/pages/) reads to exactly the record written here, every field."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.readers import FORM_BY_SUFFIX, read_records
from kg.records import EvaluationRecord, GoodPracticeRecord, LessonRecord, Location, ThemeRecord

PAGES = Path(__file__).parents[1] / "data" / "pages"
SITE = "https://ieval.example.org/ievaldiscovery"
LESSON_EVALUATION = {
    "eval_number": "9101",
    "eval_url": f"{SITE}/eval/9101",
    "eval_title": "Test fixture: final evaluation of an invented apprenticeship project in Kenya and Uganda",
    "locations": (Location("Kenya", "Africa"), Location("Uganda", "Africa")),
}
PRACTICE_EVALUATION = {
    "eval_number": "9102",
    "eval_url": f"{SITE}/eval/9102",
    "eval_title": "Fixture de test : évaluation finale d'un projet inventé de protection sociale au Sénégal",
    "locations": (Location("Senegal", "Africa"),),
}
EXPECTED = {
    "ilo-lesson-90001.html": EvaluationRecord("ilo-lesson-90001.html", **LESSON_EVALUATION, lessons=(LessonRecord(
        url=f"{SITE}/lessons/90001",
        description="Apprenticeship schemes took hold where employers' organizations co-signed the training plans from the start.",
        themes=(ThemeRecord("Skills development", "Apprenticeships"),
                ThemeRecord("Social dialogue", "Employers' organizations")),
        context="Two pilot districts per country, 2021 to 2023.",
        challenges="High turnover of master craftspeople.",
        success="Completion rates rose from 54% to 81%.",
        administrative_issues="Contracts with training providers were signed late.",
        comments="Invented for the reader tests.",
    ),)),
    "ilo-lesson-90002.txt": EvaluationRecord("ilo-lesson-90002.txt", **LESSON_EVALUATION, lessons=(LessonRecord(
        url=f"{SITE}/lessons/90002",
        description="Women enrolled in apprenticeships when training hours fitted school hours.\n"
                    "Two workshops changed their timetable during the project.",
        themes=(ThemeRecord("Gender equality and non-discrimination", "Women's participation"),),
        context="Rural districts with few formal employers.",
        challenges="Childcare was not available near the workshops.",
        comments="Invented for the reader tests (text rendering).",
    ),)),
    "ilo-lesson-90003.json": EvaluationRecord("ilo-lesson-90003.json", **LESSON_EVALUATION, lessons=(LessonRecord(
        url=f"{SITE}/lessons/90003",
        description="Recognition of prior learning needs assessors trained in the workers' languages.",
        themes=(ThemeRecord("Skills development", "Recognition of prior learning"),),
        context="Informal economy workers in construction.",
        challenges="Assessors were scarce outside the capitals.",
        success="1,200 workers certified.",
        administrative_issues="Certificates took six months to print.",
        comments="Invented for the reader tests (JSON).",
    ),)),
    "ilo-good-practice-91001.html": EvaluationRecord("ilo-good-practice-91001.html", **PRACTICE_EVALUATION, good_practices=(GoodPracticeRecord(
        url=f"{SITE}/good-practices/91001",
        description="Les caisses mutuelles ont enregistré les travailleurs du secteur informel sur les marchés, le jour du marché.",
        themes=(ThemeRecord("Protection sociale", "Extension de la couverture"),
                ThemeRecord("Économie informelle", "Formalisation")),
        context="Trois marchés de Dakar et de Thiès.",
        cause_effect="L'inscription sur place a levé l'obstacle du déplacement.",
        indicators="4 300 affiliés nouveaux en un an.",
        replication="Reprise par deux autres régions.",
        links="https://docs.example.org/guide-mutuelles",
    ),)),
    "ilo-good-practice-91002.txt": EvaluationRecord("ilo-good-practice-91002.txt", **PRACTICE_EVALUATION, good_practices=(GoodPracticeRecord(
        url=f"{SITE}/good-practices/91002",
        description="Un guichet unique mobile a servi les affiliés dans leur langue.",
        themes=(ThemeRecord("Protection sociale", "Accès aux services"),),
        context="Zones rurales de Kaolack.",
        cause_effect="Le guichet mobile a réduit les abandons d'affiliation.",
        indicators="Taux d'abandon passé de 30 % à 12 %.",
    ),)),
    "ilo-good-practice-91003.json": EvaluationRecord("ilo-good-practice-91003.json", **PRACTICE_EVALUATION, good_practices=(GoodPracticeRecord(
        url=f"{SITE}/good-practices/91003",
        description="Des comités paritaires ont validé chaque barème de cotisation.",
        themes=(ThemeRecord("Dialogue social", "Négociation collective"),),
        context="Mutuelles de santé communautaires.",
        cause_effect="Les barèmes validés ont été mieux acceptés.",
        indicators="Recouvrement des cotisations de 85 %.",
        replication="Proposée au ministère pour le régime national.",
        links="https://docs.example.org/comites-paritaires",
    ),)),
}


def test_every_test_page_has_its_expected_record():
    assert sorted(p.name for p in PAGES.iterdir() if p.suffix != ".md") == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_page_reads_to_exactly_its_record(name):
    path = PAGES / name
    (record,) = read_records(name, path.read_bytes(), FORM_BY_SUFFIX[path.suffix])
    assert record == EXPECTED[name]
    assert record.unknown_keys == ()
