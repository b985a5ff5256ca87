"""The batch store: `DIR/plans.db`, an SQLite database holding the combined tables of every
document a batch has parsed, and the exports made from it (the CSVs of the dataset contract,
one Parquet file per table, errors.csv).

Each document goes in with one transaction (its old rows out, its new rows in), so a batch
killed at any moment leaves a consistent database that says which documents are done: the
next run starts from there. Several processes may write it in turn (each batch worker stores
the documents it parses). With its rows, a document brings the parts of the exports (its CSV
lines and Arrow rows of each table), so that an export joins them instead of formatting every
row again. Like emit, this module only writes; it never parses."""
from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from policyparse import emit
from policyparse.errors import BatchError
from policyparse.schema import arrow_type, sql_type

DB_NAME = "plans.db"
ERRORS_COLUMNS = ["file", "stage", "message"]

INT64_MAX = 2**63 - 1
CHUNK_ROWS = 10_000
CHUNK_DOCUMENTS = 500
EXPORT_THREADS = 2
BUSY_SECONDS = 300
PARTS_CODEC = "zstd"


def _q(name: str) -> str:
    """A quoted SQL identifier: the contract has columns named `end` and `where`."""
    return '"' + name.replace('"', '""') + '"'


def _schema() -> list[str]:
    statements = []
    for name in emit.TABLE_COLUMNS:
        columns = emit.table_columns(name)
        if name == "documents":
            defs = [f"{_q(c)} {sql_type(name, c)}" + (" PRIMARY KEY" if c == "doc_id" else "") for c in columns]
        else:
            # n: the record's position in its document, so a table reads back in document order.
            defs = ["doc_id TEXT NOT NULL", "n INTEGER NOT NULL",
                    *(f"{_q(c)} {sql_type(name, c)}" for c in columns[1:]),
                    "PRIMARY KEY (doc_id, n)"]
        statements.append(f"CREATE TABLE {name} ({', '.join(defs)})")
    statements += [
        "CREATE TABLE texts (doc_id TEXT PRIMARY KEY, text TEXT NOT NULL)",
        # Each document's rows of each table ready to export: CSV lines and an Arrow stream,
        # zstd-compressed, with their sizes. The export then only joins them, in doc_id order.
        "CREATE TABLE parts (doc_id TEXT NOT NULL, name TEXT NOT NULL, csv BLOB NOT NULL, csv_size INTEGER NOT NULL, "
        "arrow BLOB NOT NULL, arrow_size INTEGER NOT NULL, PRIMARY KEY (doc_id, name)) WITHOUT ROWID",
        "CREATE TABLE errors (file TEXT NOT NULL, stage TEXT NOT NULL, message TEXT NOT NULL)",
        # What the batch already has: a document whose file, content and parser are unchanged is skipped.
        "CREATE TABLE parsed (doc_id TEXT PRIMARY KEY, source TEXT NOT NULL, sha256 TEXT NOT NULL, "
        "parser TEXT NOT NULL)",
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ]
    return statements


SCHEMA = _schema()
SCHEMA_ID = hashlib.sha256("\n".join(SCHEMA).encode()).hexdigest()[:16]
DATA_TABLES = [*emit.TABLE_COLUMNS, "texts", "parts", "parsed"]


@dataclass(frozen=True)
class Entry:
    """One document as the store records it."""

    doc_id: str
    source: str
    sha256: str
    parser: str


@dataclass(frozen=True)
class Parsed:
    """One parsed document, ready to store: what parse_task makes (and a dask worker hands back)."""

    entry: Entry
    dataset: bytes  # the `<doc_id>.json` bytes
    text: str
    rows: dict[str, list[tuple]]  # emit.table_rows
    parts: dict[str, tuple[bytes, int, bytes, int]]  # table_parts(rows)


def table_parts(rows: dict[str, list[tuple]]) -> dict[str, tuple[bytes, int, bytes, int]]:
    """A document's rows of each table as the export joins them: the CSV lines (as
    emit.write_csv writes them after the header) and an Arrow stream in the Parquet file's
    types, each compressed (zstd: a fifth of the size, a tenth of a millisecond), with its
    size. Made where the document is parsed, so that this work is shared out over the workers
    and a re-run that parses a few documents exports in moments."""
    import pyarrow as pa

    parts = {}
    for name, table in rows.items():
        schema = _arrow_schema(name)
        arrays = [_arrow_column(values, f.type) for values, f in zip(zip(*table), schema)] if table else \
            [pa.array([], f.type) for f in schema]
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, schema) as stream:
            stream.write_table(pa.Table.from_arrays(arrays, schema=schema))
        parts[name] = (*_pack(emit.csv_lines(table).encode("utf-8")), *_pack(sink.getvalue().to_pybytes()))
    return parts


def _pack(data: bytes) -> tuple[bytes, int]:
    import pyarrow as pa

    return pa.compress(data, codec=PARTS_CODEC, asbytes=True), len(data)


def _unpack(data: bytes, size: int) -> bytes:
    import pyarrow as pa

    return pa.decompress(data, decompressed_size=size, codec=PARTS_CODEC, asbytes=True)


def _arrow_schema(name: str):
    import pyarrow as pa

    return pa.schema([(c, getattr(pa, arrow_type(name, c))()) for c in emit.table_columns(name)])


def _arrow_column(values, arrow_type):
    """A column of a document's rows as Arrow, converted as SQLite's column types convert them:
    a number in a TEXT column becomes its text; a whole number past what a double holds
    exactly becomes the nearest double."""
    import pyarrow as pa

    if pa.types.is_string(arrow_type):
        values = [v if v is None or isinstance(v, str) else str(v) for v in values]
    try:
        return pa.array(values, type=arrow_type)
    except (pa.ArrowInvalid, OverflowError):
        if not pa.types.is_floating(arrow_type):
            raise
        return pa.array([None if v is None else float(v) for v in values], type=arrow_type)


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
            self.db.executemany("INSERT INTO parts VALUES (?, ?, ?, ?, ?, ?)",
                                [(doc_id, name, *part) for name, part in parsed.parts.items()])
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
        except OverflowError:
            # SQLite integers are 64-bit; a larger whole number (no plan writes one) goes in as a float.
            # executemany stopped at the row that overflowed: the rows before it are in, so replace them.
            self.db.executemany(insert.replace("INSERT", "INSERT OR REPLACE", 1),
                                [tuple(map(_sql_value, row)) for row in values])

    def export(self, out_dir: Path, threads: int = 1) -> list[Path]:
        """The combined CSVs, one Parquet file per table, and errors.csv, each written atomically.
        With two threads, tables are exported side by side: the work is decompressing, Arrow
        and Parquet encoding and writing files, which all run outside the GIL. Not more than
        two: each holds some 50 MB, and three large tables gain little from a third."""
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(min(max(1, threads), EXPORT_THREADS)) as pool:
            written = [path for paths in pool.map(lambda name: self._export_table(out_dir, name), emit.TABLE_COLUMNS)
                       for path in paths]
        errors = self.db.execute("SELECT file, stage, message FROM errors ORDER BY file, stage, message")
        return [*written, emit.write_csv(out_dir / "errors.csv", ERRORS_COLUMNS, errors)]

    def _export_table(self, out_dir: Path, name: str) -> list[Path]:
        db = sqlite3.connect(self.path, timeout=BUSY_SECONDS)  # a connection serves only the thread that made it
        try:
            return export_table(db, out_dir, name)
        finally:
            db.close()


def export_table(db: sqlite3.Connection, out_dir: Path, name: str) -> list[Path]:
    """`<name>.csv` and `<name>.parquet` from the documents' parts, in doc_id order: the CSV
    lines are joined after the header, the Arrow streams go to the Parquet file a row group
    at a time."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _arrow_schema(name)
    csv_path, parquet_path = out_dir / f"{name}.csv", out_dir / f"{name}.parquet"
    parts = db.execute("SELECT csv, csv_size, arrow, arrow_size FROM parts WHERE name = ? ORDER BY doc_id", (name,))
    with emit.atomic_path(csv_path) as csv_tmp, open(csv_tmp, "wb") as csv_file, \
            emit.atomic_path(parquet_path) as parquet_tmp, pq.ParquetWriter(parquet_tmp, schema) as parquet:
        csv_file.write(emit.csv_header(emit.table_columns(name)))
        chunk, rows, documents = [], 0, 0
        while batch := parts.fetchmany(64):
            for csv, csv_size, arrow, arrow_size in batch:
                csv_file.write(_unpack(csv, csv_size))
                table = pa.ipc.open_stream(_unpack(arrow, arrow_size)).read_all()
                if table.num_rows:
                    chunk.append(table)
                    rows += table.num_rows
                documents += 1
                # A row group ends once it holds CHUNK_ROWS rows or CHUNK_DOCUMENTS documents' (a
                # table of a row or two per document would otherwise gather every document's).
                if rows >= CHUNK_ROWS or documents >= CHUNK_DOCUMENTS:
                    if rows:
                        parquet.write_table(pa.concat_tables(chunk))
                    chunk, rows, documents = [], 0, 0
        if rows:
            parquet.write_table(pa.concat_tables(chunk))
    return [csv_path, parquet_path]


def _sql_value(value):
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > INT64_MAX:
        return float(value)
    return value
