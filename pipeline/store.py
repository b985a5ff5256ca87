"""The batch store: `DIR/plans.db`, an SQLite database holding the combined tables of every
document a batch has parsed, and the exports made from it (the CSVs of the dataset contract,
one Parquet file per table, errors.csv).

Each document goes in with one transaction (its old rows out, its new rows in), so a batch
killed at any moment leaves a consistent database that says which documents are done: the
next run starts from there. Like emit, this module only writes; it never parses."""
from __future__ import annotations

import hashlib
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from pipeline import emit
from pipeline.errors import BatchError

DB_NAME = "plans.db"
ERRORS_COLUMNS = ["file", "stage", "message"]

# Columns that are not text; any other column is TEXT. `*_start` and `*_end` are offsets.
COLUMN_TYPES = {
    "level": "INTEGER",
    "year": "INTEGER",
    "position": "INTEGER",
    "start": "INTEGER",
    "end": "INTEGER",
    "page": "INTEGER",
    "value": "NUMERIC",
    "value_low": "NUMERIC",
    "value_high": "NUMERIC",
    "value_base": "NUMERIC",
    "value_base_high": "NUMERIC",
    "link_score": "REAL",  # a float in the JSON even when whole (1.0): NUMERIC would read back 1
    "hedged": "BOOLEAN",
    "approximate": "BOOLEAN",
    "open_list": "BOOLEAN",
    "generic": "BOOLEAN",
}
PARQUET_TYPES = {"TEXT": "string", "INTEGER": "int64", "NUMERIC": "float64", "REAL": "float64", "BOOLEAN": "bool_"}
INT64_MAX = 2**63 - 1
CHUNK_ROWS = 10_000
BUSY_SECONDS = 300


def column_type(column: str) -> str:
    if column.endswith(("_start", "_end")):
        return "INTEGER"
    return COLUMN_TYPES.get(column, "TEXT")


def _q(name: str) -> str:
    """A quoted SQL identifier: the contract has columns named `end` and `where`."""
    return '"' + name.replace('"', '""') + '"'


def _schema() -> list[str]:
    statements = []
    for name in emit.TABLE_COLUMNS:
        columns = emit.table_columns(name)
        if name == "documents":
            defs = [f"{_q(c)} {column_type(c)}" + (" PRIMARY KEY" if c == "doc_id" else "") for c in columns]
        else:
            # n: the record's position in its document, so a table reads back in document order.
            defs = ["doc_id TEXT NOT NULL", "n INTEGER NOT NULL", *(f"{_q(c)} {column_type(c)}" for c in columns[1:]),
                    "PRIMARY KEY (doc_id, n)"]
        statements.append(f"CREATE TABLE {name} ({', '.join(defs)})")
    statements += [
        "CREATE TABLE texts (doc_id TEXT PRIMARY KEY, text TEXT NOT NULL)",
        "CREATE TABLE errors (file TEXT NOT NULL, stage TEXT NOT NULL, message TEXT NOT NULL)",
        # What the batch already has: a document whose file, content and parser are unchanged is skipped.
        "CREATE TABLE parsed (doc_id TEXT PRIMARY KEY, source TEXT NOT NULL, sha256 TEXT NOT NULL, "
        "parser TEXT NOT NULL)",
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ]
    return statements


SCHEMA = _schema()
SCHEMA_ID = hashlib.sha256("\n".join(SCHEMA).encode()).hexdigest()[:16]
DATA_TABLES = [*emit.TABLE_COLUMNS, "texts", "parsed"]


@dataclass(frozen=True)
class Entry:
    """One document as the store records it."""

    doc_id: str
    source: str
    sha256: str
    parser: str


@dataclass(frozen=True)
class Parsed:
    """One parsed document, ready to store: what a batch worker hands back."""

    entry: Entry
    dataset: bytes  # the `<doc_id>.json` bytes
    text: str
    rows: dict[str, list[tuple]]  # emit.table_rows


class Store:
    """plans.db, open for one batch. Use as a context manager."""

    def __init__(self, out_dir: Path, create: bool = True):
        """Open the store in `out_dir`, made anew when it is missing or from another version;
        with `create` false (a worker's connection), one the batch has made already."""
        self.path = Path(out_dir) / DB_NAME
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Workers write in turns: one waits for another's transaction to end.
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_SECONDS)
            # WAL while the batch runs: a commit per document costs no sync, and a killed run
            # loses at most uncommitted documents. close() returns to one self-contained file.
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            schema = self._schema_id()
            if schema is None and self._tables():
                self.db.close()
                raise BatchError(f"{self.path}: not a policyparse store (it has other tables); move it away or "
                                 "choose another --out")
            if schema != SCHEMA_ID:
                if not create:
                    self.db.close()
                    raise BatchError(f"{self.path}: the store changed while the batch ran")
                self._create()
        except (OSError, sqlite3.Error) as exc:
            reason = getattr(exc, "strerror", None) or exc
            raise BatchError(f"{self.path}: cannot open the store ({reason}); move it away to start over") from None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.db.execute("PRAGMA journal_mode=DELETE")
        except sqlite3.OperationalError:  # somebody is reading it: it stays in WAL mode, as valid
            pass
        self.db.close()

    def _tables(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]

    def _schema_id(self) -> str | None:
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.OperationalError:
            return None
        return row[0] if row else None

    def _create(self) -> None:
        """A new store, or one an earlier version made for other tables: start over (every
        document is parsed again)."""
        with self._transaction():
            for name in self._tables():
                self.db.execute(f"DROP TABLE {_q(name)}")
            for statement in SCHEMA:
                self.db.execute(statement)
            self.db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_ID,))

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        # IMMEDIATE: take the write lock now, waiting for it if another worker holds it (a
        # deferred transaction would fail at its first write instead).
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def entries(self) -> dict[str, Entry]:
        return {row[0]: Entry(*row) for row in self.db.execute("SELECT doc_id, source, sha256, parser FROM parsed")}

    def put(self, parsed: Parsed) -> None:
        """Replace one document's rows, all or nothing."""
        doc_id = parsed.entry.doc_id
        with self._transaction():
            self._delete([doc_id])
            for name, rows in parsed.rows.items():
                self._insert(name, rows)
            self.db.execute("INSERT INTO texts VALUES (?, ?)", (doc_id, parsed.text))
            self.db.execute("INSERT INTO parsed VALUES (?, ?, ?, ?)",
                            (doc_id, parsed.entry.source, parsed.entry.sha256, parsed.entry.parser))

    def remove(self, doc_ids: Iterable[str]) -> None:
        with self._transaction():
            self._delete(list(doc_ids))

    def set_errors(self, errors: Iterable[tuple[str, str, str]]) -> None:
        with self._transaction():
            self.db.execute("DELETE FROM errors")
            self.db.executemany("INSERT INTO errors VALUES (?, ?, ?)", sorted(errors))

    def _delete(self, doc_ids: list[str]) -> None:
        for name in DATA_TABLES:
            self.db.executemany(f"DELETE FROM {name} WHERE doc_id = ?", [(d,) for d in doc_ids])

    def _insert(self, name: str, rows: list[tuple]) -> None:
        columns = emit.table_columns(name)
        if name == "documents":
            names, values = columns, rows
        else:
            names = ["doc_id", "n", *columns[1:]]
            values = [(r[0], n, *r[1:]) for n, r in enumerate(rows, 1)]
        insert = f"INSERT INTO {name} ({', '.join(map(_q, names))}) VALUES ({', '.join('?' * len(names))})"
        try:
            self.db.executemany(insert, values)
        except OverflowError:  # SQLite integers are 64-bit; a larger whole number (no plan writes one) goes in as a float
            # executemany stopped at the row that overflowed: the rows before it are in, so replace them.
            self.db.executemany(insert.replace("INSERT", "INSERT OR REPLACE", 1),
                                [tuple(map(_sql_value, row)) for row in values])

    def export(self, out_dir: Path, workers: int = 1) -> list[Path]:
        """The combined CSVs, one Parquet file per table, and errors.csv, each written atomically.
        With several workers, each table is exported by a process of its own, the largest first."""
        names = sorted(emit.TABLE_COLUMNS, key=self._count, reverse=True)
        if workers > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(min(workers, len(names)), mp_context=context) as pool:
                exported = list(pool.map(_export_table_at, [self.path] * len(names), [out_dir] * len(names), names))
        else:
            exported = [export_table(self.db, out_dir, name) for name in names]
        errors = self.db.execute("SELECT file, stage, message FROM errors ORDER BY file, stage, message")
        return [*(path for paths in exported for path in paths), emit.write_csv(out_dir / "errors.csv", ERRORS_COLUMNS,
                                                                                errors)]

    def _count(self, name: str) -> int:
        return self.db.execute(f"SELECT count(*) FROM {name}").fetchone()[0]


def _export_table_at(db_path: Path, out_dir: Path, name: str) -> list[Path]:
    """export_table in a process of its own, over a connection of its own."""
    db = sqlite3.connect(db_path, timeout=BUSY_SECONDS)
    try:
        return export_table(db, out_dir, name)
    finally:
        db.close()


def export_table(db: sqlite3.Connection, out_dir: Path, name: str) -> list[Path]:
    """`<name>.csv` and `<name>.parquet` in one pass over the table: the CSV writer pulls the
    rows, and every CHUNK_ROWS of them also go to the Parquet file as a row group."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = emit.table_columns(name)
    schema = pa.schema([(c, getattr(pa, PARQUET_TYPES[column_type(c)])()) for c in columns])
    csv_path, parquet_path = out_dir / f"{name}.csv", out_dir / f"{name}.parquet"
    with emit.atomic_path(parquet_path) as tmp, pq.ParquetWriter(tmp, schema) as parquet:
        def rows() -> Iterator[tuple]:
            chunk: list[tuple] = []
            for row in table_rows(db, name):
                chunk.append(row)
                yield row
                if len(chunk) == CHUNK_ROWS:
                    parquet.write_table(_arrow_table(chunk, schema))
                    chunk = []
            if chunk:
                parquet.write_table(_arrow_table(chunk, schema))

        emit.write_csv(csv_path, columns, rows())
    return [csv_path, parquet_path]


def table_rows(db: sqlite3.Connection, name: str) -> Iterator[tuple]:
    """A combined table in its CSV column order, documents by doc_id, records in document order."""
    columns = emit.table_columns(name)
    order = "doc_id" if name == "documents" else "doc_id, n"
    booleans = [i for i, c in enumerate(columns) if column_type(c) == "BOOLEAN"]
    cursor = db.execute(f"SELECT {', '.join(map(_q, columns))} FROM {name} ORDER BY {order}")
    while chunk := cursor.fetchmany(CHUNK_ROWS):
        for row in chunk:
            if booleans:
                row = list(row)
                for i in booleans:
                    row[i] = None if row[i] is None else bool(row[i])
            yield tuple(row)


def _arrow_table(rows: list[tuple], schema):
    import pyarrow as pa

    columns = list(zip(*rows))
    return pa.Table.from_arrays([pa.array(col, type=f.type) for col, f in zip(columns, schema)], schema=schema)


def _sql_value(value):
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > INT64_MAX:
        return float(value)
    return value
