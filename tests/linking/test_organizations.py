from kg.iris import Iris
from kg.linking.organizations import OrganizationMatcher, gazetteer_quads

MATCHER = OrganizationMatcher.from_quads(gazetteer_quads(Iris().base))


def _found(text):
    return [(m.organization.value.rsplit("/", 1)[1], m.surface_form) for m in MATCHER.find(text)]


def test_seed_agencies_in_spanish():
    text = "otras agencias del SNU (como ACNUR, OIM o PNUD), en el marco del GRTM nacional y de la R4V"
    assert _found(text) == [("un-system", "SNU"), ("unhcr", "ACNUR"), ("iom", "OIM"), ("undp", "PNUD"),
                            ("gtrm", "GRTM"), ("r4v", "R4V")]


def test_longest_match_wins():
    assert _found("con ONU Mujeres y la ONU") == [("un-women", "ONU Mujeres"), ("un-system", "ONU")]


def test_acronyms_are_case_sensitive_whole_words():
    assert _found("the ilo and biodiversity, PNUDS, xOIM") == []


def test_names_ignore_case_accents_and_line_breaks():
    assert _found("la Organización Internacional\n para las  migraciones") == [
        ("iom", "Organización Internacional\n para las  migraciones")]
    assert _found("HAUT-COMMISSARIAT DES NATIONS UNIES POUR LES REFUGIES") == [
        ("unhcr", "HAUT-COMMISSARIAT DES NATIONS UNIES POUR LES REFUGIES")]
