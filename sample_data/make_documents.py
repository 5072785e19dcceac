"""Make the demo forward plan's reports (agenda.csv's `document` column): short board reports
in the Coventry form, written in our own words from the facts of the 4 September 2017
agenda, with page breaks so each has a known length. Run by the demo build; also runnable
on its own: python sample_data/make_documents.py OUTDIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

REPORTS = {
    "multiple_complex_needs.docx": {
        "from": "Chief Superintendent Sharon Goosen, West Midlands Police",
        "title": "Multiple Complex Needs Update",
        "pages": 2,
        "sections": [
            ("Purpose", "The Multiple Complex Needs Board met on 4 August 2017 under an interim "
                        "chair. This report sets out what it decided and asks the Health and "
                        "Well-being Board to note the next steps."),
            ("Recommendations", "The Board is asked to note that the terms of reference will be "
                                "revised, that the project document will become a strategy, and "
                                "that the group of people the work is for must be defined."),
            ("Background", "The operational delivery group first met on 20 July 2017. A bid to "
                           "the Making Every Adult Matter coalition has been shortlisted for "
                           "interview in September."),
        ],
    },
    "better_health_workstreams.docx": {
        "from": "Brenda Howard, Programme Director",
        "title": "Update on the Better Health, Better Care and Better Value Work Streams",
        "pages": 3,
        "sections": [
            ("Purpose", "An update on the Better Health, Better Care, Better Value programme "
                        "and its work streams."),
            ("Recommendations", "The Board is asked to note this report."),
            ("Progress", "Board members meet NHS England and NHS Improvement on 13 September "
                         "for the second quarterly stocktake. Recruitment to the programme "
                         "support team is almost complete; the team is expected in post from "
                         "October."),
        ],
    },
    "out_of_hospital.docx": {
        "from": "Andrea Green, Chief Officer, Coventry and Rugby CCG",
        "title": "Out of Hospital",
        "pages": 5,
        "sections": [
            ("Purpose", "An update on the Out of Hospital programme, which aims to make "
                        "community services truly integrated by commissioning for outcomes."),
            ("Recommendations", "Members are asked to receive the report for information."),
            ("Background", "The three clinical commissioning groups began the programme in "
                           "2015. In April 2017 their governing bodies adopted the clinical "
                           "model put forward by providers."),
            ("Options considered", "In July 2017 the governing body decided on a direct award "
                                   "to the Coventry and Warwickshire Partnership Trust for "
                                   "Coventry, with the new contract to run from April 2018."),
        ],
    },
    "ooh_commercial_terms.docx": {
        "from": "Andrea Green, Chief Officer, Coventry and Rugby CCG",
        "title": "Out of Hospital contract: commercial terms of the direct award",
        "pages": 3,
        "exempt": True,
        "sections": [
            ("Purpose", "EXEMPT-MARKER-7731: the commercial terms proposed for the lead "
                        "provider contract, which are commercially sensitive until signed."),
            ("Recommendations", "The Board is asked to note the terms."),
        ],
    },
}


def _report(spec: dict, path: Path) -> None:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    doc.core_properties.title = spec["title"]
    _page_footer(section)
    if spec.get("exempt"):
        doc.add_paragraph("NOT FOR PUBLICATION: exempt under paragraph 3 of Schedule 12A")
    doc.add_paragraph("Coventry City Council", style="Title")
    doc.add_heading("Report", level=1)
    for label, value in (("To", "Coventry Health and Wellbeing Board"),
                         ("Date", "4 September 2017"), ("From", spec["from"]),
                         ("Title", spec["title"])):
        p = doc.add_paragraph()
        p.add_run(f"{label}: ").bold = True
        p.add_run(value)
    sections = spec["sections"]
    breaks = spec["pages"] - 1
    for n, (heading, text) in enumerate(sections, 1):
        doc.add_heading(f"{n} {heading}", level=2)
        doc.add_paragraph(f"{n}.1 {text}")
        if breaks and n < len(sections):
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            breaks -= 1
    while breaks:  # the report's appendices, one page each
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        breaks -= 1
        doc.add_heading(f"Appendix {spec['pages'] - 1 - breaks}", level=2)
        doc.add_paragraph("Supporting detail for the report.")
    doc.save(path)


def _page_footer(section) -> None:  # noqa: ANN001 - a python-docx section
    """'Page 1 of 5' centred at the foot, as councils number their reports (the agenda pack
    stamps its own page numbers clear of it)."""
    p = section.footer.paragraphs[0]
    p.alignment = 1  # centre
    for text, field in (("Page ", "PAGE"), (" of ", "NUMPAGES")):
        p.add_run(text)
        simple = OxmlElement("w:fldSimple")
        simple.set(qn("w:instr"), field)
        run = OxmlElement("w:r")
        shown = OxmlElement("w:t")
        shown.text = "1"
        run.append(shown)
        simple.append(run)
        p._p.append(simple)


def _pdf_report(path: Path) -> None:
    """The CQC briefing arrives as a PDF (drawn here with reportlab), two pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=A4)
    canvas.setTitle("Care Quality Commission Local System Review")
    lines = [["Coventry City Council - Briefing note",
              "Care Quality Commission Local System Review",
              "From: Pete Fahy, Director of Adult Services",
              "1 Purpose: the Care Quality Commission will review how health and social care",
              "work together in Coventry."],
             ["2 Recommendations: the Board is asked to support the review and to endorse",
              "the A&E Delivery Board as the body that prepares for it."]]
    for page in lines:
        y = A4[1] - 72
        for line in page:
            canvas.drawString(72, y, line)
            y -= 18
        canvas.showPage()
    canvas.save()


def make_documents(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, spec in REPORTS.items():
        _report(spec, folder / name)
    _pdf_report(folder / "cqc_local_system_review.pdf")


if __name__ == "__main__":
    make_documents(Path(sys.argv[1] if len(sys.argv) > 1 else "documents"))
