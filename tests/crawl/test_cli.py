"""`kg crawl` end to end: the documented fixture-site command, `--build`, re-crawl, exit status."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from tests.crawl.conftest import FAST_ENV, source_triples

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def documented_site() -> Iterator[str]:
    """The fixture site started the way docs/crawling.md says, on a free port."""
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.crawl.fixture_site", "--port", "0"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    assert server.stdout is not None
    line = server.stdout.readline()
    url = next(word for word in line.split() if word.startswith("http://"))
    yield url
    server.terminate()
    server.wait()


def _kg(*args: str, env: dict[str, str] = FAST_ENV) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_crawl_build_gives_the_graph_of_the_saved_pages_and_a_second_crawl_changes_nothing(documented_site, tmp_path):
    cache, store, saved = tmp_path / "cache", tmp_path / "store", tmp_path / "pages"
    status, output = _kg("crawl", documented_site, "--cache", str(cache), "--build", "--store", str(store))
    assert status == 0, output
    assert "21 records on 21 record pages" in output and "6 failed, 1 disallowed by robots.txt" in output
    assert ("21 sources: 21 ingested, 0 unchanged, 0 failed; 21 records, 24 recommendations, 3 lessons learned, "
            "3 good practices") in output

    subprocess.run([sys.executable, "-m", "tests.crawl.fixture_site", "--save", str(saved)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    status, output = _kg("build", str(saved), "--store", str(tmp_path / "from-files"))
    assert status == 0, output
    crawled, built = source_triples(store), source_triples(tmp_path / "from-files")
    assert all(not s.startswith("_:") and not o.startswith("_:") for s, _, o in crawled)
    assert crawled == built and len(crawled) > 1000

    status, output = _kg("crawl", documented_site, "--cache", str(cache), "--build", "--store", str(store), "--strict")
    assert status == 1, "--strict fails on the fault pages"
    assert "0 fetched (0 new, 0 changed), 28 unchanged, 6 failed" in output
    assert "21 sources: 0 ingested, 21 unchanged, 0 failed" in output and "store unchanged" in output
    assert output.count("\nfailed http://") == 6 and output.count("\nskipped http://") == 1


def test_exit_status_is_1_when_the_start_page_cannot_be_had(documented_site, tmp_path):
    status, output = _kg("crawl", documented_site + "?page=99", "--cache", str(tmp_path / "c"),
                         "--build", "--store", str(tmp_path / "store"))
    assert status == 1
    assert "?page=99: HTTP 404 Not Found" in output and "0 records on 0 record pages" in output
    assert "nothing to build" in output and not (tmp_path / "store").exists()


def test_bad_settings_are_usage_errors(documented_site, tmp_path):
    status, output = _kg("crawl", documented_site, "--cache", str(tmp_path / "c"), "--record-pattern", "(")
    assert status == 2 and "record pattern '(' is not a valid regular expression" in output
    status, output = _kg("crawl", documented_site, "--cache", str(tmp_path / "c"), "--concurrency", "0")
    assert status == 2 and "crawl_concurrency" in output


def test_a_crawl_not_on_a_terminal_prints_its_progress_and_the_build_s_phases(documented_site, tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "kg.cli", "crawl", documented_site, "--cache", str(tmp_path / "cache"), "--build",
         "--store", str(tmp_path / "store")],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, **FAST_ENV},
    )
    lines = [line.split(" (")[0] for line in completed.stderr.splitlines()]
    progress = [line for line in lines if line.startswith("crawl: ")]
    assert progress and progress[-1] == "crawl: 35/35 pages"
    assert [line for line in lines if line.startswith("build: ")] == [
        "build: 21 sources", "build: reading and mapping", "build: loading",
        "build: indexing texts and compacting"]
