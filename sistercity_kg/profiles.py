"""Store profiles: what differs between SPARQL 1.1 stores, as configuration (`--store-profile`), not code paths.

A profile gives, for a store's query endpoint, the default SPARQL Update and Graph Store Protocol endpoints, the
form of SPARQL Update that stages data where there is no Graph Store Protocol, and how many triples go into one
staging request. Everything else (DROP SILENT, MOVE, the count check, the queries) is plain SPARQL 1.1 for every
store.

- `oxigraph` (the default): `…/query` → updates at `…/update`, Graph Store Protocol at `…/store`; staging by
  `PUT`/`POST …/store?graph=…`, else `INSERT DATA`.
- `virtuoso`: OpenLink Virtuoso's one endpoint `…/sparql` takes queries and updates (the `SPARQL` user needs the
  `SPARQL_UPDATE` role); its Graph Store Protocol is `…/sparql-graph-crud`. Virtuoso refuses blank nodes in
  `INSERT DATA` ("Blank node … is not allowed in a constant clause") and long update texts, so SPARQL Update
  staging is `INSERT { GRAPH <g> { … } } WHERE {}` in small requests. Virtuoso commits each operation of an
  update request (MOVE commits): a swap that fails at run time may leave some graphs replaced — load again.
- `generic`: any SPARQL 1.1 store: updates at the query endpoint (give `--update-endpoint` where they are
  elsewhere), no Graph Store Protocol unless `--store-endpoint` is given, staging by `INSERT DATA`.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StoreProfile:
    name: str
    query_suffix: str | None     # the query endpoint's last path segment that the others are derived from
    update_suffix: str | None    # … replaced by this for the update endpoint (None: the query endpoint itself)
    store_suffix: str | None     # … replaced by this for the Graph Store Protocol (None: no GSP by default)
    staging: str                 # SPARQL Update form for staging: "insert-data" or "insert-where"
    gsp_chunk: int               # triples per Graph Store Protocol request
    update_chunk: int            # triples per SPARQL Update staging request
    moved_per_second: int        # a floor of the store's speed for MOVE/COUNT: scales the timeout of big requests
    atomic: bool                 # applies an update request whole or not at all (Virtuoso commits op by op)

    def derive(self, query_url: str) -> tuple[str, str | None]:
        """(update endpoint, Graph Store endpoint or None) for `query_url`."""
        trimmed = query_url.rstrip("/")
        base = None
        if self.query_suffix and trimmed.endswith("/" + self.query_suffix):
            base = trimmed[: -len(self.query_suffix) - 1]
        update = base + "/" + self.update_suffix if base is not None and self.update_suffix else query_url
        store = base + "/" + self.store_suffix if base is not None and self.store_suffix else None
        return update, store


PROFILES = {
    "oxigraph": StoreProfile("oxigraph", "query", "update", "store", "insert-data", 200_000, 50_000, 20_000, True),
    "virtuoso": StoreProfile("virtuoso", "sparql", None, "sparql-graph-crud", "insert-where", 100_000, 1_000,
                             10_000, False),
    "generic": StoreProfile("generic", None, None, None, "insert-data", 100_000, 10_000, 10_000, True),
}
DEFAULT_PROFILE = "oxigraph"


def profile(name: str | StoreProfile | None) -> StoreProfile:
    if isinstance(name, StoreProfile):
        return name
    return PROFILES[name or DEFAULT_PROFILE]


__all__ = ["StoreProfile", "PROFILES", "DEFAULT_PROFILE", "profile"]
