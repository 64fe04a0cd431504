from kg.readers import read_records
from kg.readers.text import read_text, tokenize
from kg.readers.schema import Key, Value
from kg.records import Location, ThemeRecord
from tests.conftest import SEED


def test_seed_record_fields_exactly():
    (record,) = read_text("seed", SEED.read_bytes())
    assert record.eval_number == "3471"
    assert record.eval_url == "https://webapps.ilo.org/ievaldiscovery/eval/3471"
    assert record.eval_title == "Evaluación agrupada final independiente de migración laboral en Perú y Ecuador"
    assert record.locations == (Location("Peru", "Americas"), Location("Ecuador", "Americas"))
    (rec,) = record.recommendations
    assert rec.url == "https://webapps.ilo.org/ievaldiscovery/recommendations/16089"
    assert rec.date == "2023-04-20 00:00:00.0"
    assert rec.themes == (ThemeRecord("Organizational issues", "Planning and programme design"),)
    assert rec.management_response == "Completed"
    assert rec.progress == "Partially achieved"
    assert rec.admin_units == "DWT/CO-Lima"
    assert rec.project_symbols == "RLA/19/03/USA"
    assert rec.information_source == "Country Office"
    assert rec.title.startswith("2. Deben promoverse las sinergias")
    assert rec.title.endswith("Vinculado a Conclusión 7, 10 y 11.")
    assert rec.action_plan.startswith("Durante toda la fase de extensión")
    assert record.unknown_keys == ()


def test_page_chrome_and_heading_are_not_values():
    tokens = list(tokenize("Back to index\nSome heading\n- eval_number:\n- 12\nSkip to top\n"))
    assert tokens == [Key("eval_number"), Value("12")]


def test_repeated_keys_rebuild_lists_and_several_recommendations():
    text = "\n".join([
        "- eval_number:", "- 7", "- location:", "- country:", "- Peru", "- region:", "- Americas",
        "- country:", "- Chile", "- recommendations:", "- title:", "- 1. First", "- url:", "- https://x/recommendations/1",
        "- themes:", "- theme:", "- A", "- category:", "- B", "- theme:", "- C",
        "- title:", "- 2. Second", "- url:", "- https://x/recommendations/2",
    ])
    (record,) = read_text("t", text.encode())
    assert record.locations == (Location("Peru", "Americas"), Location("Chile", None))
    first, second = record.recommendations
    assert (first.title, second.title) == ("1. First", "2. Second")
    assert first.themes == (ThemeRecord("A", "B"), ThemeRecord("C", None))
    assert second.themes == ()


def test_unknown_keys_are_reported_not_lost():
    text = "- eval_number:\n- 7\n- funding_total:\n- 100\n- recommendations:\n- colour:\n- red\n"
    (record,) = read_text("t", text.encode())
    assert record.unknown_keys == ("colour", "funding_total")


def test_continuation_lines_join_the_previous_value():
    text = "- eval_number:\n- 7\n- eval_title:\n- First line\nsecond line\n"
    (record,) = read_text("t", text.encode())
    assert record.eval_title == "First line\nsecond line"


def test_latin1_file_without_declaration_reads_correctly():
    (record,) = read_records("l", "- eval_number:\n- 8\n- eval_title:\n- Évaluation finale à Dakar\n".encode("latin-1"), "text")
    assert record.eval_title == "Évaluation finale à Dakar"
