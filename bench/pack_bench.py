"""Build a 10-item, ~30-page agenda pack through the real CLI (import the forward plan once,
then time `ooh-desk pack`) against a floor measured in the same run: LibreOffice converting
the same ten .docx files alone, in one start with its own profile, tagged PDF on.
Goal: ratio <= 1.5 (above 2 is a failure). Best of --repeat runs each.

    .venv/bin/python bench/pack_bench.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import measure  # noqa: F401  (our bytecode compiled, as an install has it)
from docx import Document
from docx.enum.text import WD_BREAK

PAGES = (3, 2, 4, 3, 2, 3, 4, 2, 3, 3)  # 29 pages of reports, plus front sheet and blanks


def make_documents(folder: Path) -> list[Path]:
    paths = []
    for n, pages in enumerate(PAGES, 1):
        doc = Document()
        doc.add_heading(f"Report {n}", level=1)
        for page in range(pages):
            for _ in range(6):
                doc.add_paragraph("The programme board considered progress, risks and the "
                                  "engagement feedback received since the last meeting. " * 3)
            if page < pages - 1:
                doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        path = folder / f"report_{n:02d}.docx"
        doc.save(path)
        paths.append(path)
    return paths


def floor(documents: list[Path], outdir: Path) -> float:
    from ooh_desk.exports.office import PDF_FILTER, find_soffice

    with tempfile.TemporaryDirectory() as profile:
        start = time.perf_counter()
        subprocess.run([find_soffice(), f"-env:UserInstallation={Path(profile).as_uri()}",
                        "--headless", "--norestore", "--convert-to", PDF_FILTER, "--outdir",
                        str(outdir), *map(str, documents)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - start


def ours(register: Path, out: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ooh_desk.cli", "pack", str(register), "--meeting",
                    "2017-09-04", "-o", str(out)], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        documents = make_documents(folder)
        with open(folder / "plan.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["committee", "meeting_date", "time", "place", "item_no", "title",
                             "part", "item_type", "presenter", "document"])
            for n, path in enumerate(documents, 1):
                writer.writerow(["Bench Board", "2017-09-04", "2.00 pm", "Room 3", n,
                                 f"Report {n}", "public", "", "An Officer", path.name])
        register = folder / "bench.oohdesk"
        subprocess.run([sys.executable, "-m", "ooh_desk.cli", "init", str(register)], check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run([sys.executable, "-m", "ooh_desk.cli", "import", str(register),
                        str(folder / "plan.csv"), "--kind", "agenda"], check=True,
                       stdout=subprocess.DEVNULL)
        floors, packs = [], []
        for n in range(args.repeat):  # interleaved, so machine load hits both alike
            floors.append(floor(documents, folder / f"floor{n}"))
            packs.append(ours(register, folder / f"pack{n}.pdf"))
        from pypdf import PdfReader

        pages = len(PdfReader(folder / "pack0.pdf").pages)
    best_floor, best_pack = min(floors), min(packs)
    ratio = best_pack / best_floor
    verdict = "ok" if ratio <= 1.5 else ("slow" if ratio <= 2 else "FAIL")
    print(f"pack of {len(PAGES)} items, {pages} pages: {best_pack:.2f} s; LibreOffice alone "
          f"converting the same .docx files: {best_floor:.2f} s; ratio {ratio:.2f} "
          f"(goal <= 1.5, failure > 2): {verdict}")
    return 0 if ratio <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
