"""The floor: pyoxigraph `bulk_load` of an N-Quads file into a fresh store (run as a child process).

The file is Oxigraph's own dump, so it is loaded without validation (`lenient`), as fast as
pyoxigraph loads; then flushed and compacted like a `kg build` store.

`python -m benchmarks.floor NQUADS STORE` prints the number of quads loaded.
"""

from __future__ import annotations

import sys

from pyoxigraph import RdfFormat, Store


def main() -> None:
    nquads, location = sys.argv[1], sys.argv[2]
    store = Store(location)
    store.bulk_load(path=nquads, format=RdfFormat.N_QUADS, lenient=True)
    store.flush()
    store.optimize()
    print(len(store))


if __name__ == "__main__":
    main()
