"""docs/crawling.md documents every crawl setting and the fixture-site command it tells users to run."""

from __future__ import annotations

from pathlib import Path

from kg.settings import Settings

DOC = (Path(__file__).resolve().parents[2] / "docs" / "crawling.md").read_text("utf-8")


def test_every_crawl_setting_is_documented():
    missing = [name for name in Settings.help_texts() if name.startswith("crawl_") and f"`{name}`" not in DOC]
    assert missing == []


def test_the_documented_commands_are_the_real_ones():
    assert "python -m tests.crawl.fixture_site --port 8765" in DOC
    assert "kg crawl http://127.0.0.1:8765/ievaldiscovery/ --cache c --build --store s" in DOC
