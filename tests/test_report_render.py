"""The reports as LibreOffice lays them out: they open, have a sensible number of pages, and
the printed text (headings, tables, 'Page X of Y' footers) is where a reader expects it."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from pypdf import PdfReader

from ooh_desk.exports.report import write_report
from ooh_desk.store import Register

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("soffice") is None,
                                 reason="LibreOffice (soffice) is not installed")]


def _to_pdf(docx_path, out_dir, tmp_path):
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out_dir), str(docx_path)],
                   check=True, capture_output=True, timeout=240)
    return out_dir / f"{docx_path.stem}.pdf"


@pytest.mark.parametrize("style, expected", [
    ("coventry", ["Report", "1 Purpose", "2 Recommendations", "3 Information/Background",
                  "4 Options Considered and Recommended Proposal", "Report Author(s)",
                  "Appendix 4 Risk log", "Mitigating actions"]),
    ("durham", ["Purpose of the Report", "Risks and Associated Mitigation", "Current Risks",
                "Timelines", "Recommendations and reasons", "Contact:",
                "Appendix 1: Feedback Summary", "Engagement Route"]),
    ("nhs-cover", ["Is your report for Approval / Consideration / Noting", "Sponsor",
                   "Equality impact assessment", "1. Introduction / Background",
                   "Paper prepared by"]),
])
def test_rendered_report_pages_and_text(demo_register, tmp_path, style, expected):
    docx_path = tmp_path / f"{style}.docx"
    with Register.open(demo_register, readonly=True) as reg:
        write_report(reg, docx_path, style=style)
    pdf = PdfReader(_to_pdf(docx_path, tmp_path, tmp_path))
    pages = [" ".join(page.extract_text().split()) for page in pdf.pages]
    assert 4 <= len(pages) <= 20
    text = " ".join(pages)  # table cells wrap: words are compared, not lines
    for wanted in expected:
        assert wanted in text, wanted
    # the footer fields were laid out: every page says which page of how many it is
    for number, page in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in page
    # repeated header rows: a table running over pages shows its header again
    header = {"coventry": "Mitigating actions", "durham": "Engagement Route",
              "nhs-cover": "Mitigating actions"}[style]
    assert sum(header in page for page in pages) >= 2
    assert "Extreme" in text and "Red" in text  # bands and RAG in words, not colour alone
