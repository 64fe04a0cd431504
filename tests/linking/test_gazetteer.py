"""The partner-agency gazetteer (ontology/organizations.ttl) as data: coverage and consistency."""

from collections import defaultdict

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.iris import Iris, slugify
from kg.linking.ambiguity import ACRONYM_RULES
from kg.linking.organizations import name_pattern
from kg.linking.projects import load_donors
from kg.linking.text import fold
from kg.resources import ontology_file

EK = Namespace("https://w3id.org/evalkg/ontology#")
BASE = Iris().base
GRAPH = Graph().parse(ontology_file("organizations.ttl"), format="turtle", publicID=BASE)
ORGANIZATIONS = sorted(GRAPH.subjects(RDF.type, EK.Organization))
NAMES = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, RDFS.label)
CONTRACT = {
    "ILO": {"OIT", "BIT"}, "UNHCR": {"ACNUR", "HCR"}, "IOM": {"OIM"}, "UNDP": {"PNUD"}, "UNICEF": set(),
    "UN-Women": {"ONU Mujeres", "ONU Femmes"}, "WHO": {"OMS"}, "FAO": set(), "UNESCO": set(), "UNFPA": set(),
    "WFP": {"PMA", "PAM"}, "OHCHR": {"HCDH"}, "World-Bank": {"Banco Mundial", "Banque mondiale"},
    "EU": {"UE"}, "IDB": {"BID"}, "UN-System": {"SNU", "Sistema de Naciones Unidas"}, "R4V": set(), "GTRM": set(),
}


def _acronym(organization) -> str:
    return str(GRAPH.value(organization, EK.acronym))


def _surface_forms(organization) -> set[str]:
    forms = {str(o) for p in (EK.acronym, EK.altAcronym) for o in GRAPH.objects(organization, p)}
    return forms | {str(o) for p in NAMES for o in GRAPH.objects(organization, p)}


def test_at_least_fifty_organizations_each_typed_and_named_in_three_languages():
    assert len(ORGANIZATIONS) >= 50
    types = set(GRAPH.subjects(RDF.type, EK.OrganizationType))
    for organization in ORGANIZATIONS:
        assert len(list(GRAPH.objects(organization, EK.acronym))) == 1, organization
        assert GRAPH.value(organization, EK.organizationType) in types, organization
        languages = {label.language for label in GRAPH.objects(organization, SKOS.prefLabel)}
        assert {"en", "es", "fr"} <= languages, organization


def test_iri_slug_is_the_slug_of_the_canonical_acronym():
    for organization in ORGANIZATIONS:
        assert str(organization) == f"{BASE}organization/{slugify(_acronym(organization))}"


@pytest.mark.parametrize("acronym", sorted(CONTRACT))
def test_contract_organizations_and_their_aliases(acronym):
    organization = URIRef(Iris().organization(acronym).value)
    assert _acronym(organization) == acronym
    assert CONTRACT[acronym] <= _surface_forms(organization)


def test_no_surface_form_belongs_to_two_organizations():
    acronyms, names, patterns = defaultdict(set), defaultdict(set), defaultdict(set)
    for organization in ORGANIZATIONS:
        for p in (EK.acronym, EK.altAcronym):
            for value in GRAPH.objects(organization, p):
                acronyms[str(value)].add(organization)
        for p in NAMES:
            for value in GRAPH.objects(organization, p):
                names[fold(str(value))].add(organization)
                patterns[name_pattern(str(value))].add(organization)
    for forms in (acronyms, names, patterns):
        assert {form: orgs for form, orgs in forms.items() if len(orgs) > 1} == {}
    clashes = {a for a, orgs in acronyms.items() if fold(a) in names and names[fold(a)] != orgs}
    assert clashes == set()


def test_parents_are_organizations_of_the_gazetteer():
    for organization, parent in GRAPH.subject_objects(EK.parentOrganization):
        assert parent in ORGANIZATIONS, (organization, parent)


def test_context_rules_name_acronyms_and_organizations_of_the_gazetteer():
    acronyms = {str(o) for p in (EK.acronym, EK.altAcronym) for o in GRAPH.objects(None, p)}
    slugs = {str(o).rsplit("/", 1)[1] for o in ORGANIZATIONS}
    for acronym, rule in ACRONYM_RULES.items():
        assert acronym in acronyms
        assert {slug for _, slug in rule.elsewhere} <= slugs


def test_donor_codes_name_organizations_of_the_gazetteer():
    slugs = {str(o).rsplit("/", 1)[1] for o in ORGANIZATIONS}
    for donor in load_donors().values():
        assert donor.organization_slug is None or donor.organization_slug in slugs, donor
