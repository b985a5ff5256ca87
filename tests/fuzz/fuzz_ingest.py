"""A coverage-guided fuzz target (atheris) for ingest and the whole parse: any bytes, under any
of the names a backend reads, either parse or are refused with an InputError naming the reason.
Anything else (another exception, a hang, a crash) is a bug: atheris writes the input that
found it to artifacts/; add it to tests/bad with its expected outcome.

    python tests/fuzz/fuzz_ingest.py -seed=1 -runs=3000 -max_total_time=60 -artifact_prefix=artifacts/ \
        artifacts/fuzz-corpus tests/fuzz/seeds

(libFuzzer adds what it finds to the first folder: never name tests/fuzz/seeds first.)

CI runs it so for a bounded time (.ci/run); tests/test_fuzz.py runs `one_input` under hypothesis
without atheris."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

# The first byte picks the file type; the rest is the file.
SUFFIXES = (".txt", ".docx", ".pdf", ".html")
_FOLDER = Path(tempfile.mkdtemp(prefix="policyparse-fuzz-"))


def one_input(data: bytes) -> None:
    if not data:
        return
    path = _FOLDER / f"fuzz{SUFFIXES[data[0] % len(SUFFIXES)]}"
    path.write_bytes(data[1:])
    from policyparse.errors import PolicyParseError  # imported by main() first, under instrumentation
    from policyparse.run import parse

    try:
        doc = parse(path)
    except PolicyParseError:
        return
    for record in (*doc.sections, *doc.annex_rows, *doc.targets, *doc.responsibilities, *doc.findings):
        assert 0 <= record.start <= record.end <= len(doc.text), record


def main() -> None:
    import atheris

    with atheris.instrument_imports():
        import policyparse.run  # noqa: F401  (the parser and the libraries it calls, instrumented for coverage)
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
