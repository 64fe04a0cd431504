"""Finding sources: which files, under which keys, in which order, and without holding them all."""

import subprocess
import sys
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
    assert [s.key for s in found] == ["x.json", "a/B.JSON", "a/page.htm", "a/sub/y.txt", "in/a.json"]
    assert len(found) == 5
    assert problems == ["missing: no such file, folder or matching glob",
                        "in/a/sub/nothing*: no such file, folder or matching glob"]


def test_a_link_to_a_file_is_keyed_where_it_lies_and_each_file_is_found_once(tree, tmp_path):
    _touch(tmp_path / "elsewhere", "t.json", "folder/u.json")
    (tree / "inside-link.json").symlink_to(tree / "a.json")
    (tree / "outside-link.json").symlink_to(tmp_path / "elsewhere" / "t.json")
    (tree / "second-outside-link.json").symlink_to(tmp_path / "elsewhere" / "t.json")
    (tree / "folder-link").symlink_to(tmp_path / "elsewhere" / "folder", target_is_directory=True)
    keys = [s.key for s in find_sources(["in"])[0]]
    assert keys.count("in/a.json") == 1 and "in/inside-link.json" not in keys  # a.json is found as itself
    assert keys.count("in/outside-link.json") == 1 and "in/second-outside-link.json" not in keys
    assert "in/folder-link/u.json" not in keys  # links to folders are not followed
    assert len(keys) == 8


def test_keys_do_not_depend_on_the_working_directory_nor_show_the_machine_s_paths(tree, tmp_path, monkeypatch):
    from_above = [s.key for s in find_sources(["in"])[0]]
    monkeypatch.chdir(tree / "a")
    assert [s.key for s in find_sources([str(tree)])[0]] == from_above
    assert [s.key for s in find_sources(["../../in/"])[0]] == from_above
    assert [s.key for s in find_sources(["x.json"])[0]] == [s.key for s in find_sources([str(tree / "a" / "x.json")])[0]] == ["x.json"]
    assert [s.key for s in find_sources([f"{tree}/**/*.htm*"])[0]] == ["in/a/page.htm", "in/a-b/z.html"]
    assert not [key for key in from_above if str(tmp_path) in key or key.startswith("/")]


def test_two_files_that_would_share_a_key_are_a_problem_not_a_replacement(tree):
    _touch(tree, "b/x.json")
    found, problems = find_sources(["in/a/x.json", "in/b/x.json"])
    assert [s.path.as_posix() for s in found] == ["in/a/x.json"]
    assert problems == ["in/b/x.json: left out: its source key 'x.json' is that of x.json already "
                        "(build the folder holding it: the folder's name starts the keys of its files)"]


PEAK_WHILE_ITERATING = """
import sys, tracemalloc
from kg.sources import find_sources
for _ in range(2):  # the first walk also grows the interpreter's table of interned names, once
    tracemalloc.start()
    found, _ = find_sources([sys.argv[1]])
    count = sum(1 for _ in found)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
print(count, peak)
"""


def test_finding_and_iterating_a_big_folder_holds_one_directory_at_a_time(tmp_path):
    """Measured in a fresh interpreter, the second of two walks: what other tests left behind,
    and pathlib's one-time interning of names, must not count in the peak."""
    def peak_while_iterating(folders: int) -> int:
        root = tmp_path / f"corpus-{folders}"
        for folder in range(folders):
            _touch(root, *(f"{folder:03d}/record-{n:03d}.json" for n in range(50)))
        run = subprocess.run([sys.executable, "-c", PEAK_WHILE_ITERATING, str(root)],
                             capture_output=True, text=True, check=True)
        count, peak = map(int, run.stdout.split())
        assert count == folders * 50
        return peak

    small, large = peak_while_iterating(4), peak_while_iterating(40)
    assert large < 1.5 * small  # a list of the sources would take ten times as much
