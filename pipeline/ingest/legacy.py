"""Legacy Word (.doc) and WPS (.wps) files: converted to DOCX by LibreOffice, then read by the
DOCX backend, so numbering and merged cells come out as from a .docx.

No maintained Python library reads the binary Word format (olefile only opens the container;
antiword and catdoc lose tables and numbering), and LibreOffice reads .doc, the Word-compatible
files WPS Office saves as .wps, and the RTF or HTML files that government sites often serve with
a .doc name. It is a large program, so it is optional: without it these files get one line
saying what to install."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from policyparse.errors import InputError, UnsupportedFormat
from policyparse.ingest import docx
from policyparse.ingest.layout import Extracted
from policyparse.limits import DEFAULT_MAX_CHARS

CONVERT_TIMEOUT_SECONDS = 120
INSTALL_HINT = "apt-get install libreoffice-writer-nogui, or save the file as .docx"
_WORD_STREAM = "WordDocument".encode("utf-16-le")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read(name: str, data: bytes, max_chars: int = DEFAULT_MAX_CHARS) -> Extracted:
    if data.startswith(b"PK\x03\x04"):
        return docx.read(name, data, max_chars)  # a .docx under an old name
    program = soffice()
    if program is None:
        raise UnsupportedFormat(name, f"reading {Path(name).suffix or 'this'} files needs LibreOffice, which is not "
                                      f"installed ({INSTALL_HINT})")
    # WPS Office writes its .wps in the Word binary format; LibreOffice takes .wps for Microsoft
    # Works, so a file that holds a WordDocument stream is handed over as .doc.
    suffix = ".doc" if data.startswith(docx.OLE2_MAGIC) and _WORD_STREAM in data else Path(name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="policyparse-") as tmp:
        source = Path(tmp) / f"input{suffix}"
        source.write_bytes(data)
        command = [program, f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}", "--headless", "--norestore",
                   "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(Path(tmp) / "out"), str(source)]
        try:
            done = subprocess.run(command, capture_output=True, timeout=CONVERT_TIMEOUT_SECONDS,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise InputError(name, f"LibreOffice did not convert it within {CONVERT_TIMEOUT_SECONDS} s") from None
        except OSError as exc:
            raise InputError(name, f"cannot run LibreOffice ({program}: {exc.strerror or exc})") from None
        converted = Path(tmp) / "out" / "input.docx"
        if not converted.is_file():
            said = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
            detail = f": {said[-1]}" if said else ""
            raise InputError(name, f"LibreOffice could not read it as a Word or WPS document{detail}")
        return docx.read(name, converted.read_bytes(), max_chars)
