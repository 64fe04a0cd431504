"""Country names in the forms the ILO, the UN, the World Bank and en/es/fr texts use, to ISO codes."""

import gettext
import json

import pycountry
import pytest
from click.testing import CliRunner

import kg.linking.countries
from kg.cli import main
from kg.linking.countries import CountryResolver
from kg.query import run_query
from kg.store import StoreDirectory

SPELLINGS = {
    "BOL": ["Bolivia (Plurinational State of)", "Bolivia (Estado Plurinacional de)", "Estado Plurinacional de Bolivia",
            "Bolivie (État plurinational de)", "État plurinational de Bolivie", "Plurinational State of Bolivia"],
    "VEN": ["Venezuela (Bolivarian Republic of)", "Venezuela (República Bolivariana de)", "República Bolivariana de Venezuela",
            "Venezuela (République bolivarienne du)", "République bolivarienne du Venezuela", "Venezuela, RB"],
    "CIV": ["Côte d'Ivoire", "Côte d\u2019Ivoire", "Cote d'Ivoire", "Costa de Marfil", "Ivory Coast"],
    "TUR": ["Türkiye", "Turkiye", "Turkey", "Turquía", "Turquie"],
    "VNM": ["Viet Nam", "Vietnam", "Viêt Nam"],
    "LAO": ["Lao People's Democratic Republic", "República Democrática Popular Lao",
            "République démocratique populaire lao", "Lao PDR", "Lao P.D.R.", "Laos"],
    "COD": ["Congo, Democratic Republic of the", "Democratic Republic of the Congo", "República Democrática del Congo",
            "République démocratique du Congo", "RDC", "Congo, Dem. Rep."],
    "COG": ["Congo", "République du Congo", "Republic of the Congo", "Congo, Rep."],
    "TZA": ["Tanzania, United Republic of", "United Republic of Tanzania", "República Unida de Tanzanía",
            "République-Unie de Tanzanie", "Tanzanie", "Tanzania (United Republic of)"],
    "MDA": ["Moldova, Republic of", "Republic of Moldova", "República de Moldova", "République de Moldova", "Moldavie"],
    "PSE": ["occupied Palestinian territory", "Territorio Palestino Ocupado", "Territoire palestinien occupé",
            "État de Palestine", "State of Palestine", "West Bank and Gaza", "Gaza Strip"],
    "CPV": ["Cabo Verde", "Cap-Vert", "Cape Verde"],
    "SWZ": ["Eswatini", "Esuatini", "Swaziland"],
    "MKD": ["North Macedonia", "Macedonia del Norte", "Macédoine du Nord"],
    "KOR": ["Republic of Korea", "Korea, Republic of", "Korea, Rep.", "République de Corée", "República de Corea"],
    "PRK": ["Democratic People's Republic of Korea", "República Popular Democrática de Corea", "Korea, Dem. People's Rep."],
    "SYR": ["Syrian Arab Republic", "República Árabe Siria", "République arabe syrienne", "Siria", "Syrie"],
    "IRN": ["Iran (Islamic Republic of)", "Irán (República Islámica del)", "Iran (République islamique d’)",
            "Iran, Islamic Rep.", "Islamic Republic of Iran"],
    "KGZ": ["Kyrgyzstan", "Kyrgyz Republic", "Kirguistán", "Kirghizistan"],
    "NLD": ["Netherlands (Kingdom of the)", "Países Bajos (Reino de los)", "Pays-Bas (Royaume des)", "Países Bajos",
            "Pays-Bas"],
    "GBR": ["United Kingdom of Great Britain and Northern Ireland", "Reino Unido de Gran Bretaña e Irlanda del Norte",
            "Royaume-Uni de Grande-Bretagne et d’Irlande du Nord", "Royaume-Uni", "Reino Unido"],
    "USA": ["United States of America", "Estados Unidos de América", "États-Unis d'Amérique", "Estados Unidos",
            "États-Unis"],
    "RUS": ["Russian Federation", "Federación de Rusia", "Fédération de Russie"],
    "FSM": ["Micronesia (Federated States of)", "Micronesia (Estados Federados de)", "Micronésie (États fédérés de)",
            "Micronesia, Fed. Sts."],
    "CZE": ["Czechia", "Chequia", "Tchéquie"],
    "HTI": ["Haiti", "Haïti", "Haití"],
    "DOM": ["Dominican Republic", "República Dominicana", "République dominicaine"],
    "PER": ["Peru", "Perú", "Pérou"],
    "ECU": ["Ecuador", "Équateur", "Equateur"],
    "MEX": ["Mexico", "México", "Mexique"],
    "BRA": ["Brazil", "Brasil", "Brésil"],
    "MMR": ["Myanmar", "Birmanie", "Burma"],
    "TLS": ["Timor-Leste", "Timor Leste", "Timor Oriental", "East Timor"],
    "STP": ["Sao Tome and Principe", "Sao Tomé-et-Principe", "Santo Tomé y Príncipe"],
    "XKX": ["Kosovo", "Kosovo*"],
    "HKG": ["Hong Kong, China", "China, Hong Kong SAR"],
    "MAC": ["Macao, China", "Macau, China"],
    "TWN": ["Taiwan, China"],
    "VAT": ["Holy See", "Saint-Siège", "Santa Sede"],
    "VCT": ["Saint Vincent and the Grenadines", "St. Vincent and the Grenadines", "Saint-Vincent-et-les-Grenadines",
            "Saint-Vincent-et-les Grenadines", "San Vicente y las Granadinas"],
    "KNA": ["Saint Kitts and Nevis", "St. Kitts and Nevis", "Saint-Kitts-et-Nevis", "Saint Kitts y Nevis"],
    "LCA": ["Saint Lucia", "St. Lucia", "Sainte-Lucie", "Santa Lucía"],
    "GMB": ["Gambia", "Gambia, The", "The Gambia", "Gambie"],
    "GNB": ["Guinea-Bissau", "Guinea Bissau", "Guinée-Bissau"],
    "EGY": ["Egypt", "Egypt, Arab Rep.", "Égypte", "Egipto"],
    "YEM": ["Yemen", "Yemen, Rep.", "Yémen"],
    "SVK": ["Slovakia", "Slovak Republic", "Eslovaquia", "Slovaquie"],
    "BHS": ["Bahamas", "Bahamas, The"],
    "BRN": ["Brunei Darussalam", "Brunéi Darussalam", "Brunei"],
    "PNG": ["Papua New Guinea", "Papua Nueva Guinea", "Papouasie-Nouvelle-Guinée"],
    "SLB": ["Solomon Islands", "Islas Salomón", "Îles Salomon"],
    "TTO": ["Trinidad and Tobago", "Trinidad y Tobago", "Trinité-et-Tobago"],
    "ZAF": ["South Africa", "Sudáfrica", "Afrique du Sud"],
    "BLR": ["Belarus", "Biélorussie", "Bélarus", "Belarús"],
    "SAU": ["Saudi Arabia", "Arabia Saudita", "Arabie saoudite"],
    "ARE": ["United Arab Emirates", "Emiratos Árabes Unidos", "Émirats arabes unis"],
    "CUW": ["Curaçao"],
    "SXM": ["Sint Maarten (Dutch part)"],
}


@pytest.mark.parametrize(("name", "code"), [(name, code) for code, names in SPELLINGS.items() for name in names])
def test_un_ilo_world_bank_and_translated_spellings_resolve(countries, name, code):
    assert countries.resolve(name).alpha3 == code


@pytest.mark.parametrize("language", ["es", "fr"])
def test_every_iso_name_in_spanish_and_french_resolves(countries, language):
    translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    wrong = []
    for entry in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            if (english := getattr(entry, attribute, None)) is not None:
                country = countries.resolve(translation.gettext(english))
                if country is None or country.alpha3 != entry.alpha_3:
                    wrong.append((translation.gettext(english), entry.alpha_3))
    assert wrong == []


def test_names_in_three_languages(countries):
    assert countries.resolve("Peru").names == {"en": "Peru", "es": "Perú", "fr": "Pérou"}


def test_unknown_names_give_none(countries):
    assert countries.resolve("Atlantis") is None
    assert countries.resolve("Asia and the Pacific - regional") is None


def test_resolved_names_kept_are_bounded(monkeypatch):
    monkeypatch.setattr(kg.linking.countries, "RESOLVED_NAMES_KEPT", 3)
    resolver = CountryResolver({"Ivory Coast": "CIV"})
    names = ["Peru", "Atlantis", "Ivory Coast", "Peru ", "Lemuria", "Peru"]
    assert [c and c.alpha3 for c in map(resolver.resolve, names)] == ["PER", None, "CIV", "PER", None, "PER"]
    assert len(resolver._cache) == 3


def test_kg_build_reports_unresolved_countries_and_keeps_them_as_text(tmp_path):
    record = {"eval_number": 9101, "eval_title": "Final evaluation of project 9101",
              "location": [{"country": "Atlantis", "region": "Americas"}, {"country": "Perú", "region": "Americas"}],
              "recommendations": [{"url": "https://webapps.ilo.org/ievaldiscovery/recommendations/91011",
                                   "title": "1. Work with UNHCR."}]}
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "r.json").write_text(json.dumps(record), "utf-8")
    store = tmp_path / "store"
    result = CliRunner().invoke(main, ["build", str(tmp_path / "in"), "--store", str(store)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "warning" in result.output and "country 'Atlantis' could not be resolved" in result.output
    solutions = run_query(StoreDirectory(store).open_read_only(), """SELECT ?code ?spatial WHERE {
        <https://w3id.org/evalkg/id/evaluation/9101> dcterms:spatial ?spatial ; ek:coversCountry/ek:isoAlpha3 ?code }""")
    assert [(s["code"].value, s["spatial"].value) for s in solutions] == [("PER", "Atlantis")]
