"""What the command line tells a person or a script on stderr: one line per error
(`policyparse: error: <file>: <reason>`) and progress on long commands (a bar on a terminal).
With `--json-logs` each of them is one JSON object per line instead, for scripts:

    {"event": "error", "file": "corpus/x.txt", "reason": "empty file"}
    {"event": "progress", "command": "report", "done": 3, "total": 40, "file": "output/a.json"}
    {"event": "notice", "message": "skipped 1 file ...", "skipped": {".tsv": 1}}

Standard output (the summaries) is unchanged by `--json-logs`; `--quiet` silences it and the bar."""
from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


class Messages:
    def __init__(self, prog: str, quiet: bool = False, json_logs: bool = False):
        self.prog = prog
        self.quiet = quiet
        self.json_logs = json_logs

    def _emit(self, **event) -> None:
        print(json.dumps(event, ensure_ascii=False), file=sys.stderr, flush=True)

    def error(self, path: str | None, reason: str) -> None:
        if self.json_logs:
            self._emit(event="error", file=path, reason=reason)
        else:
            from tqdm import tqdm  # writes above a progress bar when one is showing

            tqdm.write(f"{self.prog}: error: {reason}" if path is None else f"{self.prog}: error: {path}: {reason}",
                       file=sys.stderr)

    def notice(self, text: str, **fields) -> None:
        """Something the user should know that is no error (files a folder walk skipped)."""
        if self.json_logs:
            self._emit(event="notice", message=text, **fields)
        elif not self.quiet:
            print(f"{self.prog}: {text}", file=sys.stderr, flush=True)

    def progress(self, items: Iterable[T], command: str, bar: bool = True) -> Iterator[T]:
        """The items, one at a time; after each, a progress event (with --json-logs) or a step
        of the bar (on a terminal, unless quiet or `bar` is off because the command already
        prints a line per item)."""
        from tqdm import tqdm

        items = list(items)
        shown = bar and not self.quiet and not self.json_logs and sys.stderr.isatty()
        meter = tqdm(total=len(items), desc=command, unit="doc", file=sys.stderr, disable=not shown, leave=False)
        try:
            for done, item in enumerate(items, start=1):
                yield item
                meter.update()
                if self.json_logs:
                    self._emit(event="progress", command=command, done=done, total=len(items), file=str(item))
        finally:
            meter.close()
