"""Finding sources: which files, under which keys, in which order, and without holding them all."""

import tracemalloc
from pathlib import Path

import pytest

from kg.sources import find_sources


def _touch(root: Path, *names: str) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("{}")


@pytest.fixture
def tree(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _touch(tmp_path / "in", "a.json", "a/x.json", "a/sub/y.txt", "a-b/z.html", "a.jsonl", "a/B.JSON",
           "a/notes.md", "a/page.htm")
    return tmp_path / "in"


def test_a_folder_gives_its_record_files_in_path_order(tree):
    found, problems = find_sources(["in"])
    assert [(s.key, s.form) for s in found] == [
        ("in/a/B.JSON", "json"), ("in/a/page.htm", "html"), ("in/a/sub/y.txt", "text"), ("in/a/x.json", "json"),
        ("in/a-b/z.html", "html"), ("in/a.json", "json"), ("in/a.jsonl", "jsonl")]
    assert len(found) == 7 and problems == []
    assert [s.key for s in find_sources([str(tree) + "/"])[0]] == [s.key for s in found]


def test_overlapping_arguments_give_each_source_once(tree):
    found, problems = find_sources(["in/a/x.json", "in/a", "in/**/*.json", "missing", "in/a/sub/nothing*"])
    assert [s.key for s in found] == ["in/a/x.json", "in/a/B.JSON", "in/a/page.htm", "in/a/sub/y.txt", "in/a.json"]
    assert len(found) == 5
    assert problems == ["missing: no such file, folder or matching glob",
                        "in/a/sub/nothing*: no such file, folder or matching glob"]


def test_links_to_files_are_keyed_by_their_target(tree, tmp_path):
    _touch(tmp_path / "elsewhere", "t.json", "folder/u.json")
    (tree / "inside-link.json").symlink_to(tree / "a.json")
    (tree / "outside-link.json").symlink_to(tmp_path / "elsewhere" / "t.json")
    (tree / "second-outside-link.json").symlink_to(tmp_path / "elsewhere" / "t.json")
    (tree / "folder-link").symlink_to(tmp_path / "elsewhere" / "folder", target_is_directory=True)
    keys = [s.key for s in find_sources(["in"])[0]]
    assert keys.count("in/a.json") == 1 and keys.count("elsewhere/t.json") == 1
    assert "elsewhere/folder/u.json" not in keys  # links to folders are not followed
    assert len(keys) == 8


def test_finding_and_iterating_a_big_folder_holds_one_directory_at_a_time(tmp_path):
    def peak_while_iterating(folders: int) -> int:
        root = tmp_path / f"corpus-{folders}"
        for folder in range(folders):
            _touch(root, *(f"{folder:03d}/record-{n:03d}.json" for n in range(50)))
        tracemalloc.start()
        try:
            found, _ = find_sources([str(root)])
            assert sum(1 for _ in found) == folders * 50
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak_while_iterating(4), peak_while_iterating(40)
    assert large < 1.5 * small  # a list of the sources would take ten times as much
