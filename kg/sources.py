"""Sources of records: files, folders and globs on disk, each with a stable identity.

A source's key names its graph, so it must not depend on where a build runs nor reveal the
machine's paths: a file named by itself is keyed by its file name (`good.json`); a file found in
a folder by the folder's name and its path in it (`records/2023/good.json`), wherever the folder
lies and however it was named (`records`, `./records/`, `/data/records`); a file a glob matches
as in the folder the glob starts from (`records/**/*.json` as `records/...`, `*.json` by name).
Two files that would share a key in one build are a problem reported for the second, never a
silent replacement.
"""

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

    `key` identifies it across builds (it names its graph): see the module's docstring;
    `sample/...` for the bundled sample, the URL of a crawled page.
    """

    key: str
    path: Path
    form: str | None = None

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    def read(self) -> bytes:
        return self.path.read_bytes()


def _from_file(path: Path, key: str | None = None) -> Source:
    return Source(key or path.name, path, FORM_BY_SUFFIX.get(path.suffix.lower()))


def folder_key(folder: Path) -> str:
    """The key prefix of the sources found in a folder: its own name (`records/`)."""
    name = folder.resolve().name
    return f"{name}/" if name else ""


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
    """The sources of a folder, keyed by the folder's name and their path in it.

    A link to a record file that the walk reaches anyway is left out (the file is found as
    itself), as is a second link to the same file.
    """
    root, key_prefix = folder.resolve(), folder_key(folder)
    prefix = len(os.path.join(folder, ""))
    linked: set[Path] = set()
    for entry in _files_under(folder):
        path = Path(entry.path)
        key = key_prefix + entry.path[prefix:].replace(os.sep, "/")
        if not entry.is_symlink():
            yield _from_file(path, key)
            continue
        target = path.resolve()
        walked = target.is_relative_to(root) and target.suffix.lower() in FORM_BY_SUFFIX
        if not walked and target not in linked:
            linked.add(target)
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
        clashes: list[str] = []
        self._count = sum(1 for _ in self._walk(named, clashes))
        self.problems = [_nothing_named(argument) for argument in self._arguments if not named[argument]] + clashes

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Source]:
        return self._walk(Counter(), [])

    def _walk(self, named: Counter[str], clashes: list[str]) -> Iterator[Source]:
        """The sources in argument order, each file once, under the key of the first argument
        that named it; `named` counts each argument's own, and `clashes` gets a message for each
        file left out because another file has its key."""
        files: set[Path] | None = set() if len(self._arguments) > 1 else None
        keys: dict[str, Path] = {}
        for argument in self._arguments:
            for source in _sources_named_by(argument):
                named[argument] += 1
                if files is not None:
                    resolved = source.path.resolve()
                    if resolved in files:
                        continue
                    first = keys.setdefault(source.key, resolved)
                    if first != resolved:
                        clashes.append(
                            f"{source.path}: left out: its source key {source.key!r} is that of {first.name} already"
                            " (build the folder holding it: the folder's name starts the keys of its files)")
                        continue
                    files.add(resolved)
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
        base = _fixed_start(argument)
        key_prefix = folder_key(base) if base.parts else ""
        for match in sorted(Path(p) for p in glob.glob(argument, recursive=True) if Path(p).is_file()):
            yield _from_file(match, key_prefix + match.relative_to(base).as_posix())


def _fixed_start(pattern: str) -> Path:
    """The folder a glob starts from: its parts before the first with a wildcard (`in` of
    `in/**/*.json`, nothing of `*.json`). Matches are keyed as in that folder."""
    parts = Path(pattern).parts
    fixed = [part for part in parts[: next((i for i, p in enumerate(parts) if glob.has_magic(p)), len(parts))]]
    return Path(*fixed) if fixed else Path()


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
