import pytest

from kg.linking.countries import CountryResolver

RESOLVER = CountryResolver.from_csv()


@pytest.mark.parametrize(("name", "code"), [
    ("Peru", "PER"), ("Perú", "PER"), ("Bolivia (Plurinational State of)", "BOL"), ("Türkiye", "TUR"),
    ("Viet Nam", "VNM"), ("Côte d'Ivoire", "CIV"), ("Côte d\u2019Ivoire", "CIV"),
    ("occupied Palestinian territory", "PSE"), ("Congo, Democratic Republic of the", "COD"),
    ("Tanzania, United Republic of", "TZA"), ("Moldova, Republic of", "MDA"),
    ("Venezuela (Bolivarian Republic of)", "VEN"), ("Lao People's Democratic Republic", "LAO"),
])
def test_ilo_spellings_resolve(name, code):
    assert RESOLVER.resolve(name).alpha3 == code


def test_names_in_three_languages():
    country = RESOLVER.resolve("Peru")
    assert country.names == {"en": "Peru", "es": "Perú", "fr": "Pérou"}


def test_unknown_names_give_none():
    assert RESOLVER.resolve("Atlantis") is None
