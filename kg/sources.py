"""Sources of records: files, folders and globs on disk, each with a stable identity."""

from __future__ import annotations

import glob
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.readers import FORM_BY_SUFFIX
from kg.resources import sample_dir

SAMPLE_KEY_PREFIX = "sample/"


@dataclass(frozen=True)
class Source:
    """One document to ingest.

    `key` identifies it across builds (it names its graph): a path relative to the working
    directory, `sample/...` for the bundled corpus, or the URL of a crawled page.
    """

    key: str
    path: Path
    form: str | None = None

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    def read(self) -> bytes:
        return self.path.read_bytes()


def _key(path: Path) -> str:
    resolved = path.resolve()
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


def _from_file(path: Path, key: str | None = None) -> Source:
    return Source(key or _key(path), path, FORM_BY_SUFFIX.get(path.suffix.lower()))


def _files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in FORM_BY_SUFFIX)


def sample_sources() -> list[Source]:
    """The bundled sample corpus, keyed independently of where the package is installed."""
    root = sample_dir()
    return [_from_file(p, SAMPLE_KEY_PREFIX + p.relative_to(root).as_posix()) for p in _files_under(root)]


def find_sources(arguments: Iterable[str]) -> tuple[list[Source], list[str]]:
    """Sources named by files, folders (searched recursively for known forms) and globs.

    Returns the sources, each once, and a message for every argument that names nothing.
    """
    found: dict[str, Source] = {}
    problems: list[str] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            matches = _files_under(path)
            if not matches:
                problems.append(f"{argument}: folder holds no .txt, .html, .json or .jsonl records")
        elif path.is_file():
            matches = [path]
        else:
            matches = sorted(Path(p) for p in glob.glob(argument, recursive=True) if Path(p).is_file())
            if not matches:
                problems.append(f"{argument}: no such file, folder or matching glob")
        for match in matches:
            source = _from_file(match)
            found.setdefault(source.key, source)
    return list(found.values()), problems
