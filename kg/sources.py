"""Sources of records: files, folders and globs on disk, each with a stable identity."""

from __future__ import annotations

import glob
import os
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
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
    return _key_of_resolved(path.resolve(), Path.cwd().resolve())


def _key_of_resolved(resolved: Path, cwd: Path) -> str:
    try:
        return resolved.relative_to(cwd).as_posix()
    except ValueError:
        return resolved.as_posix()


def _from_file(path: Path, key: str | None = None) -> Source:
    return Source(key or _key(path), path, FORM_BY_SUFFIX.get(path.suffix.lower()))


def _files_under(folder: str | os.PathLike[str]) -> Iterator[os.DirEntry[str]]:
    """The record files under a folder, in path order, listing one directory at a time.

    As with `Path.rglob`, links to folders are not followed and links to files are.
    """
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _files_under(entry.path)
        elif os.path.splitext(entry.name)[1].lower() in FORM_BY_SUFFIX and entry.is_file():
            yield entry


def _sources_under(folder: Path) -> Iterator[Source]:
    """The sources of a folder, keyed without resolving each file's path.

    A link to a file is keyed by its target, like the file itself; a link to a record file the
    walk reaches anyway is left out (the file is found as itself), as is a second link to the
    same file elsewhere.
    """
    root, cwd = folder.resolve(), Path.cwd().resolve()
    prefix = len(os.path.join(folder, ""))
    linked: set[str] = set()
    for entry in _files_under(folder):
        path = Path(entry.path)
        if not entry.is_symlink():
            yield _from_file(path, _key_of_resolved(root / entry.path[prefix:], cwd))
            continue
        target = path.resolve()
        key = _key_of_resolved(target, cwd)
        walked = target.is_relative_to(root) and target.suffix.lower() in FORM_BY_SUFFIX
        if not walked and key not in linked:
            linked.add(key)
            yield _from_file(path, key)


def folder_sources(root: Path, prefix: str) -> list[Source]:
    """The sources of a folder keyed `prefix` + their path in it, wherever the folder lies."""
    paths = (Path(entry.path) for entry in _files_under(root))
    return [_from_file(path, prefix + path.relative_to(root).as_posix()) for path in paths]


def sample_sources() -> list[Source]:
    """The bundled sample corpus, keyed independently of where the package is installed."""
    return folder_sources(sample_dir(), SAMPLE_KEY_PREFIX)


class FoundSources(Collection[Source]):
    """The sources that files, folders and globs name, each once, found anew on each iteration.

    Nothing per file is kept between iterations (a million record files would hold hundreds of
    MB of paths in the building process); with several arguments, which may overlap, an
    iteration keeps the keys it has yielded. The count and the problems come from one walk
    made up front.
    """

    def __init__(self, arguments: Iterable[str]) -> None:
        self._arguments = tuple(arguments)
        named: Counter[str] = Counter()
        self._count = sum(1 for _ in self._walk(named))
        self.problems = [_nothing_named(argument) for argument in self._arguments if not named[argument]]

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Source]:
        return self._walk(Counter())

    def _walk(self, named: Counter[str]) -> Iterator[Source]:
        """The sources in argument order, each once; `named` counts each argument's own."""
        seen: set[str] | None = set() if len(self._arguments) > 1 else None
        for argument in self._arguments:
            for source in _sources_named_by(argument):
                named[argument] += 1
                if seen is not None:
                    if source.key in seen:
                        continue
                    seen.add(source.key)
                yield source

    def __contains__(self, item: object) -> bool:
        return any(source == item for source in self)


def _sources_named_by(argument: str) -> Iterator[Source]:
    path = Path(argument)
    if path.is_dir():
        yield from _sources_under(path)
    elif path.is_file():
        yield _from_file(path)
    else:
        for match in sorted(Path(p) for p in glob.glob(argument, recursive=True) if Path(p).is_file()):
            yield _from_file(match)


def _nothing_named(argument: str) -> str:
    if Path(argument).is_dir():
        return f"{argument}: folder holds no .txt, .html, .json, .jsonl, .xlsx or .csv records"
    return f"{argument}: no such file, folder or matching glob"


def find_sources(arguments: Iterable[str]) -> tuple[FoundSources, list[str]]:
    """Sources named by files, folders (searched recursively for known forms) and globs.

    Returns the sources, each once, and a message for every argument that names nothing.
    """
    found = FoundSources(arguments)
    return found, found.problems
