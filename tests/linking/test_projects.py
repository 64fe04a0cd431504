"""Project symbols, their donor codes, and the donors the mapper draws from them."""

import pytest
from pyoxigraph import Literal, NamedNode

from kg.iris import Iris
from kg.linking.projects import ProjectSymbol, decode_symbol, load_donors
from kg.mapping import Linkers, Mapper
from kg.namespaces import EK
from kg.records import EvaluationRecord, RecommendationRecord

IRIS = Iris()


@pytest.fixture(scope="module")
def mapper() -> Mapper:
    return Mapper(IRIS, Linkers.load(IRIS))


def test_symbol_parts_are_decoded():
    assert decode_symbol(" RLA/19/03/USA ") == ProjectSymbol("RLA/19/03/USA", "RLA", 2019, "03", "USA")
    assert decode_symbol("INT/98/101/NOR").year == 1998


def test_other_shapes_are_kept_whole():
    assert decode_symbol("GLO-FAIR-2020") == ProjectSymbol("GLO-FAIR-2020")


def test_donor_codes_known_and_unknown():
    donors = load_donors()
    assert donors["USA"].country_alpha3 == "USA" and donors["USA"].organization_slug is None
    assert donors["SID"].organization_slug == "sida"
    assert donors["ROK"].country_alpha3 == "KOR"
    assert donors["MUL"].organization_slug is None and donors["MUL"].country_alpha3 is None
    assert "ZZZ" not in donors


def test_every_donor_country_resolves(countries):
    for donor in load_donors().values():
        if donor.country_alpha3:
            assert countries.resolve(donor.country_alpha3).alpha3 == donor.country_alpha3


def test_donors_in_the_graph(mapper):
    symbols = "RLA/19/03/USA; GLO/14/67/SID, TZA/20/51/ZZZ; CMB/13/02/MUL; GLO-FAIR-2020"
    record = EvaluationRecord(source="t", eval_number="1", recommendations=(
        RecommendationRecord(url="https://x/recommendations/5", project_symbols=symbols),))
    quads = mapper.map(record, NamedNode("https://example.org/graph")).quads

    def objects(symbol: str, predicate: NamedNode) -> list:
        return sorted((q.object for q in quads if q.subject == IRIS.project(symbol) and q.predicate == predicate),
                      key=str)

    assert objects("RLA/19/03/USA", EK.donor) == [IRIS.country("USA")]
    assert objects("GLO/14/67/SID", EK.donor) == [IRIS.organization("Sida")]
    for symbol, code in (("TZA/20/51/ZZZ", "ZZZ"), ("CMB/13/02/MUL", "MUL")):
        assert objects(symbol, EK.donor) == []
        assert objects(symbol, EK.donorCode) == [Literal(code)]
    assert objects("GLO-FAIR-2020", EK.donorCode) == []
