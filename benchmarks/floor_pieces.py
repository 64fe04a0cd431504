"""The floor loaded as `kg build` loads: an N-Quads file bulk-loaded in pieces of `BULK_BYTES`.

`python -m benchmarks.floor_pieces NQUADS STORE` prints the number of quads loaded. Beside
`benchmarks.floor` (one `bulk_load` of the whole file), it tells what loading in pieces, which
keeps `kg build`'s memory flat, costs in time and store size on its own, without any mapping.
"""

from __future__ import annotations

import sys

from pyoxigraph import RdfFormat, Store

from kg.build import BULK_BYTES


def main() -> None:
    nquads, location = sys.argv[1], sys.argv[2]
    store = Store(location)
    rest = b""
    with open(nquads, "rb") as lines:
        while chunk := lines.read(BULK_BYTES):
            data = rest + chunk
            end = data.rfind(b"\n") + 1
            data, rest = data[:end], data[end:]
            store.bulk_load(data, format=RdfFormat.N_QUADS, lenient=True)
    if rest:
        store.bulk_load(rest, format=RdfFormat.N_QUADS, lenient=True)
    store.flush()
    store.optimize()
    print(len(store))


if __name__ == "__main__":
    main()
