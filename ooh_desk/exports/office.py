"""Turn Word (and other office) documents into tagged PDF with LibreOffice, headless, all in
one LibreOffice start (each start costs a second or more), with a profile folder of its own
so two runs never share one. Imports no Qt.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

# Tagged PDF keeps headings, lists and tables readable by screen readers.
PDF_FILTER = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'
INSTALL_HINT = ("LibreOffice is needed to turn Word documents into PDF and was not found; "
                "install it from https://www.libreoffice.org/download/ (on Debian or Ubuntu: "
                "apt-get install libreoffice-writer-nogui), or set OOH_DESK_SOFFICE to its "
                "soffice program, then try again")
CONVERT_TIMEOUT_SECONDS = 600


class OfficeMissing(Exception):
    """LibreOffice is not installed; the message says how to install it."""


def find_soffice() -> str | None:
    configured = os.environ.get("OOH_DESK_SOFFICE")
    if configured:
        return configured if Path(configured).exists() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in (r"C:\Program Files\LibreOffice\program\soffice.exe",
                      r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
                      "/Applications/LibreOffice.app/Contents/MacOS/soffice"):
        if Path(candidate).exists():
            return candidate
    return None


def convert_to_pdf(documents: Sequence[Path], outdir: Path,
                   stop: Callable[[], bool] | None = None) -> dict[Path, Path | None]:
    """Each document's PDF in outdir, or None where LibreOffice could not convert it
    (damaged, password-protected, not really a document). Names must be unique by stem.
    With `stop`, asked ten times a second, LibreOffice is killed as soon as it says so, and
    the answer is empty (the app's preview, when the paper changes under it)."""
    if not documents:
        return {}
    soffice = find_soffice()
    if soffice is None:
        raise OfficeMissing(INSTALL_HINT)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ooh-lo-profile-") as profile:
        command = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                   "--norestore", "--nolockcheck", "--convert-to", PDF_FILTER,
                   "--outdir", str(outdir), *map(str, documents)]
        try:
            proc = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except FileNotFoundError:
            raise OfficeMissing(INSTALL_HINT) from None
        deadline = time.monotonic() + CONVERT_TIMEOUT_SECONDS
        while True:
            try:
                proc.wait(timeout=0.1)
                break
            except subprocess.TimeoutExpired:
                if (stop and stop()) or time.monotonic() > deadline:
                    proc.kill()
                    proc.wait()
                    if stop and stop():
                        return {}
                    break
    out: dict[Path, Path | None] = {}
    for document in documents:
        pdf = outdir / f"{document.stem}.pdf"
        out[document] = pdf if pdf.exists() and pdf.stat().st_size > 0 else None
    return out
