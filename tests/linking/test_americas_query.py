"""The README's query: organizations mentioned with each project in the Americas, one row per agency."""

import json
import re
from pathlib import Path

from kg.query import run_query
from kg.sources import find_sources

README = Path(__file__).parents[2] / "README.md"


def _americas_query() -> str:
    section = README.read_text("utf-8").split("## Linking partner agencies", 1)[1]
    return re.search(r"```sparql\n(.*?)```", section, re.S).group(1)


def _rows(store) -> list[tuple[str, str]]:
    return [(s["project"].value, s["organization"].value) for s in run_query(store.open_read_only(), _americas_query())]


def test_sample_gives_one_row_per_agency_and_project(sample_store):
    rows = _rows(sample_store)
    assert len(rows) == len(set(rows))
    seed_project = {organization for project, organization in rows if project == "RLA/19/03/USA"}
    assert seed_project == {"ILO", "UNHCR", "IOM", "UNDP", "UN-System", "R4V", "GTRM", "IDB", "World-Bank"}
    # projects of evaluations outside the Americas do not appear
    assert not {project for project, _ in rows} & {"RAS/18/05/SID", "GLO/18/20/CHE", "COD/19/01/EEC"}


def test_the_same_agency_named_in_three_languages_is_one_row(tmp_path, builder_factory):
    texts = {
        "en": "1. The ILO should work with UNHCR, UN Women and the UN system on referral pathways.",
        "es": "2. La OIT debería coordinar con ACNUR, ONU Mujeres y el Sistema de Naciones Unidas.",
        "fr": "3. Le BIT devrait associer le HCR, ONU Femmes et le système des Nations Unies.",
    }
    folder = tmp_path / "in"
    folder.mkdir()
    for number, (language, text) in enumerate(texts.items(), start=1):
        record = {"eval_number": 9200 + number, "eval_title": f"Evaluation {language}",
                  "location": [{"country": "Peru", "region": "Americas"}],
                  "recommendations": [{"url": f"https://webapps.ilo.org/ievaldiscovery/recommendations/{9300 + number}",
                                       "title": text, "project_symbols": "RLA/22/09/USA"}]}
        (folder / f"{language}.json").write_text(json.dumps(record), "utf-8")
    builder = builder_factory(tmp_path / "store")
    report = builder.build(find_sources([str(folder)])[0])
    assert report.errors == []
    assert _rows(builder.store) == [("RLA/22/09/USA", "ILO"), ("RLA/22/09/USA", "UN-System"),
                                    ("RLA/22/09/USA", "UN-Women"), ("RLA/22/09/USA", "UNHCR")]
