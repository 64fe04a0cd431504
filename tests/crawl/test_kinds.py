"""A crawl with the default settings collects record pages of every kind, through listings
paginated by `rel="next"` alone, and `--build` puts lessons learned and good practices in the store."""

from __future__ import annotations

from click.testing import CliRunner

from kg.cli import main
from kg.store import StoreDirectory
from tests.crawl.conftest import FAST_ENV
from tests.crawl.fixture_site import PREFIX

ITEMS = """PREFIX ek: <https://w3id.org/evalkg/ontology#>
SELECT ?kind ?number ?evaluation WHERE {
  VALUES (?kind ?numbered) { (ek:LessonLearned ek:lessonNumber) (ek:GoodPractice ek:goodPracticeNumber) }
  ?item a ?kind ; ?numbered ?number ; ek:ofEvaluation ?e .
  ?e ek:evaluationNumber ?evaluation .
}"""


def test_crawl_collects_every_kind_through_rel_next_pagination_and_builds_it(clean_site, tmp_path):
    store = tmp_path / "store"
    result = CliRunner().invoke(
        main, ["crawl", clean_site.url, "--cache", str(tmp_path / "cache"), "--build", "--store", str(store)], env=FAST_ENV,
    )
    assert result.exit_code == 0, result.output
    pages = len(clean_site.pages) + clean_site.index_pages() + clean_site.listing_pages()
    assert f"{pages} pages: {pages} fetched ({pages} new, 0 changed), 0 unchanged, 0 failed" in result.output
    assert "21 records on 21 record pages" in result.output
    assert "21 records, 24 recommendations, 3 lessons learned, 3 good practices" in result.output

    assert [h.status for h in clean_site.hits_for(f"{PREFIX}/lessons?offset=2")] == [200]  # <link rel="next">
    assert [h.status for h in clean_site.hits_for(f"{PREFIX}/good-practices?offset=2")] == [200]  # <a rel="next">
    assert not [h for h in clean_site.hits if "sort=" in h.path], "a listing link without rel=next was followed"

    solutions = StoreDirectory(store).open_read_only().query(ITEMS, use_default_graph_as_union=True)
    found = {(s["kind"].value.rsplit("#", 1)[1], int(s["number"].value), int(s["evaluation"].value)) for s in solutions}
    assert found == {
        ("LessonLearned", 90001, 9101), ("LessonLearned", 90002, 9101), ("LessonLearned", 90003, 9101),
        ("GoodPractice", 91001, 9102), ("GoodPractice", 91002, 9102), ("GoodPractice", 91003, 9102),
    }
