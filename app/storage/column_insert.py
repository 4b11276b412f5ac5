"""Many rows inserted by one `INSERT ... SELECT`, the rows sent as columns, inside the caller's transaction.

A round writes its thousands of invitations and their mails in the transaction that completes it
(nothing half-done), so the bulk writer (`columnar`, its own connection and transactions) cannot
take them. Through SQLAlchemy's executemany they cost a row of bound parameters each: on
PostgreSQL a multi-VALUES text with one parameter per value per batch (10,000 invitations and
their mails, 1M pool: 0.7 s and 2 s of the round's commit, most of it composing and parsing
those parameters). Here each column goes as one value, split by the database in C: PostgreSQL
`unnest` over one typed array per column; SQLite `json_each` over one JSON array of rows. Values
the same for every row (a status, the moment) are bound once, with their column's type.

The statement is the dialect's own `insert`, so a caller can add `on_conflict_do_nothing` and
`returning`. No column defaults are filled in: name every column the rows need.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from sqlalchemy import Table, bindparam, func, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection


def insert_columns(connection: Connection, table: Table, columns: Mapping[str, Sequence],
                   constants: Mapping[str, object] | None = None):
    """`INSERT INTO table (columns..., constants...) SELECT ...`: row i takes the i-th value of
    every column (plain ints, strings or None; all of one length) and every constant. Rows are
    inserted in their order (so ids are assigned in it, the same on both databases)."""
    constants = dict(constants or {})
    names = list(columns)
    lengths = {len(values) for values in columns.values()}
    if len(lengths) > 1:
        raise ValueError(f"columns of different lengths {sorted(lengths)} for {table.name}")
    fixed = [bindparam(f"constant_{name}", value, type_=table.c[name].type) for name, value in constants.items()]
    if connection.dialect.name == "postgresql":
        # psycopg's dialect casts each array to its column's type (`%(column_who)s::BIGINT[]`), so a
        # column of NULLs alone, or of small numbers, still has that type.
        arrays = [bindparam(f"column_{name}", list(values), type_=postgresql.ARRAY(table.c[name].type))
                  for name, values in columns.items()]
        rows = func.unnest(*arrays).table_valued(*names, with_ordinality="row_position").render_derived(name="given")
        source = select(*[rows.c[name] for name in names], *fixed).order_by(rows.c.row_position)
        insert = postgresql.insert
    else:
        payload = json.dumps(list(zip(*columns.values())), ensure_ascii=False)  # rows as arrays
        rows = func.json_each(bindparam("rows", payload)).table_valued("value", "key").alias("given")
        source = select(*[func.json_extract(rows.c.value, f"$[{i}]").label(name) for i, name in enumerate(names)],
                        *fixed)
        # SQLite reads "SELECT ... FROM t ON CONFLICT" as a join constraint without a WHERE clause
        # (https://www.sqlite.org/lang_upsert.html, "Parsing Ambiguity").
        source = source.where(true()).order_by(rows.c.key)
        insert = sqlite.insert
    return insert(table).from_select([*names, *constants], source, include_defaults=False)
