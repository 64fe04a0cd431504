"""The pages of the new kinds over the real export sample: lessons learned, good practices,
evaluation managers, technical and administrative units, funders and the evaluation type, timing
and nature concepts, each dereferenceable, negotiated and in the three interface languages; the
evaluation page with its new fields; the browse lists paged and counted; the home page's figures.

Expectations are the workbook's (read with openpyxl by `export_sheets`) or were checked in it by
hand, never read back from the store alone."""

from __future__ import annotations

import pytest
import rdflib
from bs4 import BeautifulSoup
from rdflib import RDF, Literal, Namespace, URIRef

from kg.namespaces import EK as EK_TERMS
from server.ld import browse
from tests.linked_data.conftest import BASE

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

EK = Namespace("https://w3id.org/evalkg/ontology#")
ID = Namespace(BASE)
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")

# Evaluation 1055 as the workbook gives it (sheet of completed evaluations and its item sheets).
EVALUATION = "evaluation/1055"
EVALUATION_LINKS = {
    "evaluation type": "/id/evaluation-type/project-evaluation",
    "evaluation timing": "/id/evaluation-timing/midterm",
    "evaluation nature": "/id/evaluation-nature/independent",
    "evaluation manager": "/id/person/manager15-evaluation",
    "administrative unit": "/id/unit/ipec",
    "technical unit": "/id/unit/ipec",
    "funded by": "/id/organization/spain-ministerio-de-trabajo-y-asuntos-sociales",
    "donor": "/id/country/ESP",
    "evaluates project": "/id/project/RLA-05-55-SPA",
    "covers region": "/id/region/americas",
}
EVALUATION_THEMES = {"/id/theme/child-labour", "/id/theme/labour-inspection"}

# A resource of each new kind, with statements its RDF must hold and text its page must show.
NEW_KINDS = {
    "lesson/211665": (
        [(ID["lesson/211665"], RDF.type, EK.LessonLearned),
         (ID["lesson/211665"], EK.ofEvaluation, ID["evaluation/2693"]),
         (ID["lesson/211665"], EK.mentions, ID["organization/unicef"]),
         (ID["lesson/211665"], EK.theme, ID["theme/planning-and-programme-design"]),
         (ID["evaluation/2693"], EK.hasLesson, ID["lesson/211665"])],
        "the remaining period of the ILO–UNICEF project"),
    "good-practice/1148425": (
        [(ID["good-practice/1148425"], RDF.type, EK.GoodPractice),
         (ID["good-practice/1148425"], EK.ofEvaluation, ID["evaluation/3446"]),
         (ID["good-practice/1148425"], EK.theme, ID["theme/disability-disabled-worker"]),
         (ID["evaluation/3446"], EK.hasGoodPractice, ID["good-practice/1148425"])],
        "Supporting the development and implementation of disability identification systems"),
    "person/manager15-evaluation": (
        [(ID["person/manager15-evaluation"], RDF.type, EK.Person),
         (ID["person/manager15-evaluation"], URIRef("https://schema.org/name"), Literal("Manager15, Evaluation")),
         (ID["evaluation/1055"], EK.manager, ID["person/manager15-evaluation"])],
        "Manager15, Evaluation"),
    "unit/ipec": (
        [(ID["unit/ipec"], RDF.type, EK.AdminUnit), (ID["unit/ipec"], RDF.type, EK.TechnicalUnit),
         (ID["evaluation/1055"], EK.technicalUnit, ID["unit/ipec"])],
        "IPEC"),
    "organization/spain-ministerio-de-trabajo-y-asuntos-sociales": (
        [(ID["organization/spain-ministerio-de-trabajo-y-asuntos-sociales"], RDF.type, EK.Organization),
         (ID["organization/spain-ministerio-de-trabajo-y-asuntos-sociales"], EK.donorCountry, ID["country/ESP"]),
         (ID["evaluation/1055"], EK.fundedBy, ID["organization/spain-ministerio-de-trabajo-y-asuntos-sociales"])],
        "Spain, Ministerio de Trabajo y Asuntos Sociales"),
    "evaluation-type/project-evaluation": (
        [(ID["evaluation-type/project-evaluation"], RDF.type, EK.EvaluationType)], "Project evaluation"),
    "evaluation-timing/midterm": (
        [(ID["evaluation-timing/midterm"], RDF.type, EK.EvaluationTiming)], "Midterm"),
    "evaluation-nature/independent": (
        [(ID["evaluation-nature/independent"], RDF.type, EK.EvaluationNature)], "Independent"),
}


def _page(client, path: str, **headers: str) -> BeautifulSoup:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, (path, response.status_code)
    assert response.mimetype == "text/html"
    return BeautifulSoup(response.data, "html.parser")


def _hrefs(element) -> set[str]:
    return {a["href"] for a in element.find_all("a", href=True)}


def _row(page: BeautifulSoup, prop: URIRef):
    """The `<dd>` of a property's row on a resource page."""
    term = page.find("dt", title=str(prop))
    assert term is not None, f"no row for {prop}"
    return term.find_next_sibling("dd")


def _count(store, query: str) -> int:
    return int(next(iter(store.query(query)))[0].value)


def _evaluations_managed_by(export_sheets, name: str) -> set[str]:
    return {row["Evaluation number"] for rows in export_sheets.values() for row in rows
            if name in (m.strip() for m in row.get("Evaluation manager(s)", "").split(";"))}


@pytest.mark.parametrize("rest", NEW_KINDS)
def test_each_new_kind_dereferences_to_its_page_and_its_rdf(real_client, rest):
    statements, shown = NEW_KINDS[rest]
    to_page = real_client.get(f"/id/{rest}", headers={"Accept": "text/html"})
    assert (to_page.status_code, to_page.headers["Location"]) == (303, f"/id/{rest}.html")
    page = _page(real_client, to_page.headers["Location"])
    assert shown in page.get_text(" ", strip=True)
    assert page.find("link", rel="alternate", type="text/turtle")["href"] == f"/id/{rest}.ttl"
    to_rdf = real_client.get(f"/id/{rest}", headers={"Accept": "text/turtle"})
    assert to_rdf.headers["Location"] == f"/id/{rest}.ttl"
    graph = rdflib.Graph().parse(data=real_client.get(to_rdf.headers["Location"]).data, format="turtle")
    for triple in statements:
        assert triple in graph, f"{rest} lacks {triple}"
    jsonld = rdflib.Graph().parse(data=real_client.get(f"/id/{rest}.jsonld").data, format="json-ld")
    assert set(statements) <= set(jsonld)


def test_the_evaluation_page_shows_its_new_fields(real_client, export_sheets):
    page = _page(real_client, f"/id/{EVALUATION}.html")
    row = next(r for r in export_sheets["Completion date"] if r["Evaluation number"] == "1055")
    assert (row["Evaluation type"], row["Evaluation timing"], row["Evaluation nature"]) == (
        "Project evaluation", "Midterm", "Independent")
    for label, href in EVALUATION_LINKS.items():
        term = next(dt for dt in page.find_all("dt") if dt.get_text(strip=True).startswith(label))
        assert href in _hrefs(term.find_next_sibling("dd")), label
    assert _row(page, EK.completionDate).get_text(strip=True) == "2009-07-01" == row["Completion date"][:10]
    assert _hrefs(_row(page, EK.theme)) == EVALUATION_THEMES
    headings = [h2.get_text(strip=True) for h2 in page.find_all("h2")]
    assert headings.index("Classification") < headings.index("Management and funding") < headings.index(
        "Recommendations, lessons learned and good practices")


def test_the_evaluation_page_lists_its_lessons_and_good_practices(real_client, export_sheets):
    page = _page(real_client, f"/id/{EVALUATION}.html")
    lessons = {f"/id/lesson/{r['Lessons learned ID']}" for r in export_sheets["Lessons learned ID"]
               if r["Evaluation number"] == "1055"}
    practices = {f"/id/good-practice/{r['Good practices ID']}" for r in export_sheets["Good practices ID"]
                 if r["Evaluation number"] == "1055"}
    assert lessons == {"/id/lesson/165767", "/id/lesson/165772", "/id/lesson/165777", "/id/lesson/165782"}
    assert len(practices) == 14
    items = page.find("section", class_="items")
    assert _hrefs(_row(items, EK.hasLesson)) == lessons
    assert _hrefs(_row(items, EK.hasGoodPractice)) == practices
    assert "(14)" in items.find("dt", title=str(EK.hasGoodPractice)).get_text()


def test_a_lesson_page_shows_its_text_theme_agencies_and_evaluation(real_client, export_sheets):
    page = _page(real_client, "/id/lesson/211665.html")
    row = next(r for r in export_sheets["Lessons learned ID"] if r["Lessons learned ID"] == "211665")
    text = _row(page, EK.text).find("p", class_="text")
    assert " ".join(text.get_text().split()) == " ".join(row["Lessons learned description"].split())
    assert text["lang"] == "en"
    assert _hrefs(_row(page, EK.theme)) == {"/id/theme/planning-and-programme-design"}
    assert {"/id/organization/unicef", "/id/organization/ilo", "/id/organization/aics"} == _hrefs(
        _row(page, EK.mentions))
    assert _hrefs(_row(page, EK.ofEvaluation)) == {"/id/evaluation/2693"} == {
        f"/id/evaluation/{row['Evaluation number']}"}
    assert "https://webapps.ilo.org/ievaldiscovery/lessons/211665" in _hrefs(page)
    assert "/browse/lessons" in _hrefs(page.find("p", class_="types"))


def test_lesson_and_good_practice_pages_show_every_text(item_texts_client):
    lesson = _page(item_texts_client, "/id/lesson/9101.html")
    expected = {
        EK.text: "Working with UNICEF from the start made the referral system last.",
        EK.context: "A pilot in two provinces with the ministry of labour.",
        EK.challenges: "Staff turnover in the ministry slowed the pilot.",
        EK.success: "A joint steering committee met every month.",
        EK.administrativeIssues: "Contracts took four months to sign.",
        EK.comments: "Reported again in the final evaluation.",
    }
    content = lesson.find("section", class_="content")
    for prop, text in expected.items():
        assert _row(content, prop).get_text(strip=True) == text, prop
    assert _hrefs(_row(lesson, EK.mentions)) == {"/id/organization/unicef"}
    practice = _page(item_texts_client, "/id/good-practice/9102.html")
    content = practice.find("section", class_="content")
    for prop, text in {
        EK.text: "A single registry shared by the ministry and UNHCR.",
        EK.context: "Refugees and host communities used separate registries.",
        EK.causeEffect: "One registry halved the time to enrol a household.",
        EK.indicators: "Households enrolled within a week of applying.",
        EK.replication: "Any country with a national social registry can adopt it.",
        EK.links: "https://www.ilo.org/",
    }.items():
        assert _row(content, prop).get_text(strip=True) == text, prop
    assert _hrefs(_row(practice, EK.theme)) == {"/id/theme/social-protection"}
    assert _hrefs(_row(practice, EK.ofEvaluation)) == {"/id/evaluation/9100"}
    evaluation = _page(item_texts_client, "/id/evaluation/9100.html")
    items = evaluation.find("section", class_="items")
    assert _hrefs(items) == {"/id/lesson/9101", "/id/good-practice/9102"}


def test_a_manager_page_lists_the_evaluations_they_managed(real_client, export_sheets):
    page = _page(real_client, "/id/person/manager15-evaluation.html")
    managed = _evaluations_managed_by(export_sheets, "Manager15, Evaluation")
    assert len(managed) == 23
    incoming = page.find("section", class_="incoming")
    assert _hrefs(_row(incoming, EK.manager)) == {f"/id/evaluation/{n}" for n in managed}


def test_a_unit_that_is_both_kinds_links_to_both_lists(real_client):
    page = _page(real_client, "/id/unit/ipec.html")
    assert {"/browse/units", "/browse/technical-units"} <= _hrefs(page.find("p", class_="types"))
    assert "/id/evaluation/1055" in _hrefs(page.find("section", class_="incoming"))


def test_a_funder_page_names_its_country_and_evaluations(real_client):
    page = _page(real_client, "/id/organization/spain-ministerio-de-trabajo-y-asuntos-sociales.html")
    assert _hrefs(_row(page, EK.donorCountry)) == {"/id/country/ESP"}
    assert "/id/evaluation/1055" in _hrefs(_row(page.find("section", class_="incoming"), EK.fundedBy))


def test_a_concept_page_counts_its_evaluations(real_client, real_store, export_sheets):
    page = _page(real_client, "/id/evaluation-timing/midterm.html")
    midterm = {row["Evaluation number"] for rows in export_sheets.values() for row in rows
               if row.get("Evaluation timing") == "Midterm"}
    term = page.find("section", class_="incoming").find("dt", title=str(EK.evaluationTiming))
    assert f"({len(midterm)})" in term.get_text()
    assert "/browse/evaluation-timings" in _hrefs(page.find("p", class_="types"))


@pytest.mark.parametrize("language, heading, label", [
    ("en", "Recommendations, lessons learned and good practices", "has lesson learned"),
    ("es", "Recomendaciones, lecciones aprendidas y buenas prácticas", "tiene la lección aprendida"),
    ("fr", "Recommandations, enseignements tirés et bonnes pratiques", "a pour enseignement tiré"),
])
def test_the_new_sections_speak_the_readers_language(real_client, language, heading, label):
    page = _page(real_client, f"/id/{EVALUATION}.html?lang={language}")
    assert page.html["lang"] == language
    assert page.find("section", class_="items").h2.get_text(strip=True) == heading
    assert page.find("dt", title=str(EK.hasLesson)).get_text(" ", strip=True).startswith(label)
    types = _page(real_client, f"/id/lesson/211665.html?lang={language}").find("p", class_="types")
    assert types.get_text(strip=True) == {"en": "Lesson learned", "es": "Lección aprendida",
                                          "fr": "Enseignement tiré"}[language]


# kind: (SPARQL pattern of its members, the count the workbook gives where it gives one)
BROWSE_KINDS = {
    "lessons": ("?s a ek:LessonLearned", 250),
    "good-practices": ("?s a ek:GoodPractice", 135),
    "persons": ("?s a ek:Person", None),
    "units": ("?s a ek:AdminUnit", None),
    "technical-units": ("?s a ek:TechnicalUnit", None),
    "funders": ("?s a ek:Organization . ?e ek:fundedBy ?s", None),
    "evaluation-types": ("?s a ek:EvaluationType", None),
    "evaluation-timings": ("?s a ek:EvaluationTiming", 3),
    "evaluation-natures": ("?s a ek:EvaluationNature", None),
}


@pytest.mark.parametrize("kind", BROWSE_KINDS)
def test_the_new_browse_lists_are_paged_and_counted(real_client, real_store, kind):
    pattern, workbook_count = BROWSE_KINDS[kind]
    prefix = f"PREFIX ek: <{EK}> "
    store = real_store.open_read_only()
    members = {row[0].value for row in store.query(prefix + f"SELECT DISTINCT ?s WHERE {{ {pattern} }}")}
    total = len(members)
    assert total > 0
    if workbook_count is not None:
        assert total == workbook_count
    listed: list[str] = []
    path: str | None = f"/browse/{kind}"
    while path:
        page = _page(real_client, path)
        assert page.find("p", class_="showing").get_text(strip=True).endswith(f" of {total}")
        items = page.select("ol.members > li")
        assert 0 < len(items) <= browse.PAGE_SIZE
        for item in items:
            listed.append(item.a["href"])
            assert item.find("small", class_="tally") is not None
        following = page.find("a", rel="next")
        path = following["href"] if following else None
    assert len(listed) == len(set(listed)) == total
    assert {BASE + href.removeprefix("/id/") for href in listed} == members


def test_numbered_lists_go_by_number(real_client, export_sheets):
    first = _page(real_client, "/browse/lessons")
    numbers = [int(a["href"].rsplit("/", 1)[1]) for a in first.select("ol.members li a")]
    ids = sorted(int(r["Lessons learned ID"]) for r in export_sheets["Lessons learned ID"])
    assert numbers == sorted(set(ids))[:50]
    item = first.find("a", href="/id/lesson/151079").parent
    assert item.find("small", class_="tally").get_text(strip=True).startswith("Organizations:")


def test_the_funders_list_tallies_evaluations(real_client, real_store):
    page = _page(real_client, "/browse/funders")
    item = page.find("a", href="/id/organization/cida").parent
    evaluations = _count(real_store.open_read_only(), f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ "
                         f"?e <{EK.fundedBy}> <{ID['organization/cida']}> }}")
    assert item.find("small", class_="tally").get_text(strip=True) == f"Evaluations: {evaluations}"


def test_the_home_page_counts_every_kind(real_client, real_store):
    page = _page(real_client, "/")
    store = real_store.open_read_only()
    for kind in browse.KINDS:
        link = page.find("section", class_="figures").find("a", href=f"/browse/{kind.slug}")
        assert link is not None, kind.slug
        assert int(link.strong.get_text()) == browse.count(store, kind), kind.slug
    figures = page.find("section", class_="figures")
    assert figures.find("a", href="/browse/lessons").strong.get_text() == "250"
    assert figures.find("a", href="/browse/good-practices").strong.get_text() == "135"
    assert figures.find("a", href="/browse/evaluations").strong.get_text() == "247"
    persons = _count(store, f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?e <{EK_TERMS.manager.value}> ?p }}")
    assert figures.find("a", href="/browse/persons").strong.get_text() == str(persons)


@pytest.mark.parametrize("language, words", [
    ("en", "claims no licence"), ("es", "no reivindica ninguna licencia"), ("fr", "ne revendique aucune licence"),
])
def test_the_site_credits_the_ilo_and_claims_no_licence_for_its_data(real_client, language, words):
    for path in ("/", "/void.html", "/id/lesson/211665.html"):
        page = _page(real_client, f"{path}?lang={language}")
        footer = page.find("footer")
        credit, vocabulary = footer.get_text(" ", strip=True).split("·")
        assert "i-eval Discovery" in credit and "CC BY" not in credit, path  # the data's credit claims no licence
        assert "evalkg" in vocabulary and "CC BY 4.0" in vocabulary, path  # the ontology's own licence
        assert "https://webapps.ilo.org/ievaldiscovery/" in _hrefs(footer)
    assert words in _page(real_client, f"/?lang={language}").find("section", class_="terms").get_text()
    assert words in _page(real_client, f"/void.html?lang={language}").find("dd", class_="rights").get_text()


def test_the_home_page_counts_the_sources_built_not_the_metadata_and_reference_graphs(real_client, real_store):
    """Issue 18: the home page said 18 source documents of a 16-source build."""
    page = _page(real_client, "/")
    built = _count(real_store.open_read_only(), "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH "
                   "<https://w3id.org/evalkg/id/graph/metadata> { ?g a <https://w3id.org/evalkg/ontology#SourceDocument> "
                   "FILTER(?g != <https://w3id.org/evalkg/id/graph/reference>) } }")
    assert built == 1
    assert any(item.get_text(" ", strip=True) == "1 source documents" for item in page.select("section.figures li"))
