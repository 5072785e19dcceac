"""Word board reports read back with python-docx: each house style's headings and numbering,
the register blocks' table contents, header-row flags, alt text, language, core properties,
page-number fields, templates, redaction, and the `report` and `paper` commands."""

from __future__ import annotations

import json
import re
import zipfile

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn

from ooh_desk.domain.records import FeedbackItem, Risk
from ooh_desk.domain.scoring import Rating
from ooh_desk.exports.report import ReportError, build_report, write_report
from ooh_desk.store import Register, history, records

STYLES = ("coventry", "durham", "nhs-cover")


@pytest.fixture(scope="module")
def reports(demo_register, tmp_path_factory):
    """Each house style written once from the demo register (a draft: no paper named)."""
    out = tmp_path_factory.mktemp("reports")
    made = {}
    with Register.open(demo_register, readonly=True) as reg:
        for style in STYLES:
            path = out / f"{style}.docx"
            made[style] = (path, write_report(reg, path, style=style))
    return made


def _doc(reports, style):
    return docx.Document(str(reports[style][0]))


def _headings(doc):
    return [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]


def _rows(table):
    return [[c.text for c in row.cells] for row in table.rows]


def _table(doc, first_header):
    found = [t for t in doc.tables if t.rows[0].cells[0].text == first_header]
    assert found, f"no table headed {first_header!r}"
    return found[0]


# --- every style ---------------------------------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
def test_accessibility_basics_in_every_style(reports, style):
    path, warnings = reports[style]
    doc = _doc(reports, style)
    # our own templates have every style a report uses (a draft may still lack answers the
    # cover sheet asks for: those are named, test_report_prose)
    assert [w for w in warnings if "yet:" not in w] == []
    props = doc.core_properties
    assert props.title == "Out of Hospital Community Services Programme: progress report"
    assert "9 November 2017" in props.subject
    assert props.author and props.language == "en-GB"
    lang = doc.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "en-GB"
    for table in doc.tables:  # every table: repeating, marked header row, alt text, fixed width
        trPr = table.rows[0]._tr.trPr
        assert trPr is not None and trPr.find(qn("w:tblHeader")) is not None
        tblPr = table._tbl.tblPr
        assert tblPr.find(qn("w:tblCaption")).get(qn("w:val"))
        assert tblPr.find(qn("w:tblDescription")).get(qn("w:val"))
        assert tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    for section in doc.sections:  # tables fit inside the margins
        usable = section.page_width - section.left_margin - section.right_margin
        assert usable > 0
    widest = max(int(t._tbl.tblPr.find(qn("w:tblW")).get(qn("w:w"))) for t in doc.tables)
    landscape = max(s.page_width - s.left_margin - s.right_margin for s in doc.sections)
    assert widest <= round(landscape / 635) + 1
    footer = doc.sections[0].footer._element
    assert [i.text.strip() for i in footer.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]
    assert "Page" in doc.sections[0].footer.paragraphs[0].text
    # headings are real heading styles with outline levels, and there is a title
    assert doc.paragraphs[0].style.name in ("Title", "Normal")
    for name in ("Heading 1", "Heading 2"):
        outline = doc.styles[name].element.pPr.find(qn("w:outlineLvl"))
        assert outline is not None
    # no colour-only meaning: every shaded cell holds a band, RAG or overdue word
    words = ("Low", "Moderate", "High", "Extreme", "Red", "Amber", "Green", "Complete",
             "OVERDUE")
    for table in doc.tables[1:] if style == "nhs-cover" else doc.tables:
        for row in table.rows[1:]:
            for cell in row.cells:
                shd = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
                if shd is not None:
                    assert any(w in cell.text for w in words), cell.text


def test_docx_files_are_well_formed_zip_packages(reports):
    for style in STYLES:
        with zipfile.ZipFile(reports[style][0]) as z:
            assert z.testzip() is None
            assert "word/document.xml" in z.namelist()
            assert "docProps/core.xml" in z.namelist()


# --- Coventry --------------------------------------------------------------------------------------


def test_coventry_block_headings_and_numbered_recommendations(reports):
    doc = _doc(reports, "coventry")
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "Report" and doc.paragraphs[0].style.name == "Title"
    for label, value in (("To:", "Coventry Health and Well-being Board"), ("Date:", "9 November 2017"),
                         ("Title:", "Out of Hospital Community Services Programme")):
        assert any(t.startswith(label) and value in t for t in texts[:6]), label
    heads = [t for s, t in _headings(doc) if s == "Heading 1"]
    assert heads[:4] == ["1 Purpose", "2 Recommendations", "3 Information/Background",
                         "4 Options Considered and Recommended Proposal"]
    assert "Report Author(s)" in [t for _, t in _headings(doc)]
    assert "Appendices" in [t for _, t in _headings(doc)]
    assert [t for t in heads if t.startswith("Appendix")] == [
        "Appendix 1 Milestone timeline", "Appendix 2 Open actions",
        "Appendix 3 Engagement feedback", "Appendix 4 Risk log"]
    recs = [t for t in texts if re.match(r"^2\.\d\t", t)]
    assert [r.split("\t")[0] for r in recs] == ["2.1", "2.2"]
    assert "Note the progress" in recs[0]
    assert any(t.startswith("Name and Job Title:") for t in texts)
    assert "Enquiries should be directed to the above person." in texts


def test_coventry_timeline_is_milestone_and_date_as_the_board_wrote_it(reports, demo_register):
    doc = _doc(reports, "coventry")
    table = _table(doc, "No.")
    rows = _rows(table)
    assert rows[0] == ["No.", "Milestones", "Dates", "Status"]
    with Register.open(demo_register, readonly=True) as reg:
        m13 = records.get_record(reg, "milestones", "M-013")
    row = next(r for r in rows if r[1] == m13.title)
    assert row[2] == m13.forecast.text  # "December 2017 – January 2018", not a single day
    assert {r[3] for r in rows[1:]} <= {"Red", "Amber", "Green"}
    assert [r[0] for r in rows[1:]] == [str(n) for n in range(1, len(rows))]


def test_risk_log_appendix_is_landscape_with_scores_bands_trend_and_mitigations(reports,
                                                                               demo_register):
    doc = _doc(reports, "coventry")
    assert doc.sections[-1].orientation == 1  # landscape
    table = _table(doc, "Ref")
    table = [t for t in doc.tables if t.rows[0].cells[1].text == "Risk"][0]
    rows = _rows(table)
    assert rows[0] == ["Ref", "Risk", "Owner", "Inherent score", "Current score", "Target score",
                       "Trend", "Mitigating actions"]
    with Register.open(demo_register, readonly=True) as reg:
        risks = records.all_records(reg, "risks")
    open_risks = [r for r in risks if r.status != "closed"]
    closed = [r for r in risks if r.status == "closed"]
    assert closed, "the demo has closed risks to leave out"
    assert sorted(r[0] for r in rows[1:]) == sorted(r.ref for r in open_risks)
    top = rows[1]
    risk = next(r for r in risks if r.ref == top[0])
    cur = risk.current
    assert top[4].startswith(f"{cur.likelihood} x {cur.impact} = {cur.score}\n")
    assert top[4].split("\n")[1] in ("Extreme", "High", "Moderate", "Low")
    assert re.match(r"^[↑↓→] (Rising|Falling|No change)$", top[6])
    assert top[7].count("\u2022") == len(risk.mitigations)
    assert {r[6].split(" ", 1)[1] for r in rows[1:]} >= {"Rising", "Falling"}


def test_heat_map_counts_bands_and_summary(reports, demo_register):
    doc = _doc(reports, "coventry")
    table = [t for t in doc.tables if t.rows[0].cells[0].text.startswith("Likelihood")][0]
    rows = _rows(table)
    assert rows[0][1:] == ["1 Negligible", "2 Minor", "3 Moderate", "4 Major", "5 Catastrophic"]
    assert [r[0] for r in rows[1:]] == ["5 Almost certain", "4 Likely", "3 Possible",
                                        "2 Unlikely", "1 Rare"]
    with Register.open(demo_register, readonly=True) as reg:
        open_risks = [r for r in records.all_records(reg, "risks") if r.status != "closed" and r.current]
    total = 0
    for row_index, likelihood in enumerate(range(5, 0, -1), start=1):
        for impact in range(1, 6):
            cell = rows[row_index][impact]
            expected = sum(1 for r in open_risks
                           if (r.current.likelihood, r.current.impact) == (likelihood, impact))
            band_word = cell.split(" (")[0]
            assert band_word in ("Low", "Moderate", "High", "Extreme")
            assert f"({likelihood * impact})" in cell
            count = re.search(r"(\d+) risks?", cell)
            assert (int(count.group(1)) if count else 0) == expected
            total += expected
    assert total == len(open_risks)
    summary = next(p.text for p in doc.paragraphs if p.text.startswith("Heat map summary"))
    assert f"{len(open_risks)} scored risks" in summary
    extreme = sum(1 for r in open_risks if r.current.score >= 15)
    assert f"Extreme (15 to 25): {extreme} (" in summary


def test_draft_summary_is_written_from_the_data(reports, demo_register):
    doc = _doc(reports, "coventry")
    text = "\n".join(p.text for p in doc.paragraphs)
    with Register.open(demo_register, readonly=True) as reg:
        actions = json.loads(json.dumps([a.ref for a in records.all_records(reg, "actions")]))
    assert re.search(r"The risk log holds \d+ open risks: \d+ extreme, \d+ high", text)
    assert "M-009" in text and "slipped against the baseline" in text
    assert re.search(r"[A-Z][a-z]+ actions are overdue: A-\d{3}", text)
    assert actions


def test_open_actions_flag_overdue_in_words(reports):
    doc = _doc(reports, "coventry")
    table = [t for t in doc.tables if _rows(t)[0][:2] == ["Ref", "Action"]][0]
    rows = _rows(table)[1:]
    overdue = [r for r in rows if "OVERDUE" in r[4]]
    assert overdue and len(overdue) < len(rows)
    assert all(r[4].split(" ")[0] in ("Open", "In") for r in rows)
    assert "A-001" not in [r[0] for r in rows]  # complete actions are not open actions


# --- Durham ------------------------------------------------------------------------------------------


def test_durham_paragraph_numbers_run_through_the_report(reports):
    doc = _doc(reports, "durham")
    numbers = [int(p.text.split("\t")[0]) for p in doc.paragraphs
               if re.match(r"^\d+\t", p.text)]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) >= 10
    heads = [t for _, t in _headings(doc)]
    assert heads[0] == "Purpose of the Report"
    assert heads.index("Recommendations and reasons") > heads.index("Timelines")
    assert "Risks and Associated Mitigation" in heads
    assert "Appendix 1: Feedback Summary" in heads
    # numbering crosses headings: the paragraph after each heading carries on the count
    paras = doc.paragraphs
    after_purpose = paras[[p.text for p in paras].index("Purpose of the Report") + 1]
    assert after_purpose.text.startswith("1\t")
    letters = [p.text.split("\t")[0] for p in paras if re.match(r"^[a-e]\.\t", p.text)]
    assert letters[:2] == ["a.", "b."]
    contact = [p.text for p in paras if p.text.startswith("Contact:")]
    assert contact and paras[[p.text for p in paras].index(contact[0])].runs[-1].bold
    # the draft is addressed to the scrutiny committee the register names
    assert paras[0].text == "Health and Social Care Scrutiny Committee"


def test_durham_risk_table_and_fuzzy_timeline(reports):
    doc = _doc(reports, "durham")
    risks = _table(doc, "Current Risks")
    assert _rows(risks)[0] == ["Current Risks", "Mitigation"]
    first = _rows(risks)[1]
    assert re.search(r"R-\d{3}: current score \d+ \((Extreme|High|Moderate|Low)\)", first[0])
    assert first[1].startswith("\u2022")
    timeline = _table(doc, "Milestone")
    dates = [r[1] for r in _rows(timeline)[1:]]
    assert "December 17 - January 2018" in dates or "December 2017 – January 2018" in dates
    assert "Q3 2017/18" in dates and "Late November 2017" in dates
    assert "19/20 July 2017" in dates or any("July" in d for d in dates)


def test_durham_feedback_appendix_grouped_by_route(reports, demo_register):
    doc = _doc(reports, "durham")
    table = _table(doc, "Engagement Route")
    rows = _rows(table)
    assert rows[0] == ["Engagement Route", "Comments", "Action Taken"]
    with Register.open(demo_register, readonly=True) as reg:
        feedback = records.all_records(reg, "feedback")
    assert len(rows) - 1 == len(feedback)
    # python-docx repeats a vertically merged cell's text down the span: the groups
    routes = list(dict.fromkeys(r[0] for r in rows[1:]))
    assert routes == ["Market Engagement", "Clinical Engagement", "Staff Engagement",
                      "Patient and public Engagement"]
    merged = [tc for tc in table._tbl.iter(qn("w:tc")) if tc.tcPr is not None
              and tc.tcPr.find(qn("w:vMerge")) is not None]
    assert len(merged) == len(feedback)  # every row's route cell is part of a group
    comments = {r[1] for r in rows[1:]}
    assert all(f.comment in comments for f in feedback)


# --- NHS cover sheet ------------------------------------------------------------------------------------


def test_nhs_cover_sheet_fields_and_one_decision_ticked(reports):
    doc = _doc(reports, "nhs-cover")
    cover = doc.tables[0]
    rows = {r[0]: r[1] for r in _rows(cover)[1:]}
    for question in ("Author(s)", "Sponsor", "Is your report for Approval / Consideration / Noting",
                     "Purpose", "Key issues", "Recommendations"):
        assert question in rows
    assert any(q.startswith("Are there any Resource Implications") for q in rows)
    assert any(q.startswith("Equality impact assessment") for q in rows)
    assert any(q.startswith("PPE activity") for q in rows)
    decision = rows["Is your report for Approval / Consideration / Noting"]
    assert decision.count("\u2612") == 1 and decision.count("\u2610") == 2
    assert "\u2612 Noting" in decision and "This paper is for noting." in decision
    heads = [t for _, t in _headings(doc)]
    assert heads[0].startswith("Out of Hospital")
    assert "1. Introduction / Background" in heads
    assert any(h.endswith("Recommendations") for h in heads)
    assert any(p.text.startswith("Paper prepared by:") for p in doc.paragraphs)


# --- papers ------------------------------------------------------------------------------------------


PAPER_MD = """\
# Community Contract Procurement Update
Committee: Adults Wellbeing and Health Overview and Scrutiny Committee
Meeting date: 9 November 2017
Author: Sarah Burns
Author title: Director of Commissioning
Contact: tel 0191 000 0000
Sponsor: Lesley Jeavons
Decision: approval
Style: durham
Blocks: risk-log, timeline, feedback

## Purpose of the Report
To update the Committee on community contract procurement.

## Background
A new approach is needed.

The main partners are:
- County Durham and Darlington NHS Foundation Trust
- Durham County Council

## Recommendations and reasons
The Committee is recommended to:
- Note the rationale for the procurement.
- Agree to receive regular updates.
"""


def test_paper_from_markdown_drives_the_report(cli, demo_copy, tmp_path):
    source = tmp_path / "update.md"
    source.write_text(PAPER_MD, "utf-8")
    result = cli("paper", demo_copy, "import", source)
    assert result.code == 0, result.err
    assert "P-001" in result.out
    papers = [p for p in json.loads(cli("list", demo_copy, "papers", "--json").out)
              if p["ref"] != "OBC-001"]  # the demo's own business case
    assert papers[0]["ref"] == "P-001" and papers[0]["decision"] == "approval"
    assert papers[0]["meeting_date"]["earliest"] == "2017-11-09"
    # under the headings as typed, in the file's order
    assert list(papers[0]["sections"]) == ["Purpose of the Report", "Background",
                                           "Recommendations and reasons"]
    out = tmp_path / "paper.docx"
    result = cli("report", demo_copy, "--paper", "P-001", "-o", out)  # style from the paper
    assert result.code == 0, result.err
    doc = docx.Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "Adults Wellbeing and Health Overview and Scrutiny Committee"
    assert "Report of Sarah Burns, Director of Commissioning" in texts
    assert "1\tTo update the Committee on community contract procurement." in texts
    assert "County Durham and Darlington NHS Foundation Trust" in texts  # a bullet, unnumbered
    assert any(t == "a.\tNote the rationale for the procurement." for t in texts)
    assert any(t.endswith("The Committee is recommended to:") and t[0].isdigit() for t in texts)
    assert doc.core_properties.title == "Community Contract Procurement Update"
    assert doc.core_properties.author == "Sarah Burns"
    heads = [t for _, t in _headings(doc)]
    assert "Actions" not in heads  # the paper's blocks leave actions out
    assert "Heat map summary" not in "\n".join(texts)


def test_paper_new_set_show_and_audit(cli, demo_copy, tmp_path):
    result = cli("paper", demo_copy, "new", "--title", "Out of Hospital", "--committee",
                 "Coventry Health and Wellbeing Board", "--author", "Chief Officer",
                 "--meeting-date", "2017-10-04", "--decision", "consideration")
    assert result.code == 0, result.err
    purpose = tmp_path / "purpose.md"
    purpose.write_text("This report updates the Board.\n\n- first point\n", "utf-8")
    result = cli("paper", demo_copy, "set", "P-001", "--section", f"purpose=@{purpose}",
                 "--section", "options=No options are proposed.", "--style", "nhs-cover")
    assert result.code == 0, result.err
    shown = json.loads(cli("paper", demo_copy, "show", "P-001", "--json").out)
    assert shown["sections"]["purpose"].startswith("This report updates the Board.")
    assert shown["style"] == "nhs-cover"
    with Register.open(demo_copy, readonly=True) as reg:
        audit = [a for a in history.changes(reg, "papers")
                 if a["ref"] != "OBC-001"]  # the demo's own business case
    assert {a["field"] for a in audit} >= {"", "sections", "style"}
    assert all(a["ref"] == "P-001" for a in audit)
    out = tmp_path / "p.docx"
    assert cli("report", demo_copy, "--paper", "P-001", "-o", out).code == 0
    rows = {r[0]: r[1] for r in _rows(docx.Document(str(out)).tables[0])[1:]}
    assert "\u2612 Consideration" in rows["Is your report for Approval / Consideration / Noting"]


@pytest.mark.parametrize("args, message", [
    (["set", "P-404", "--title", "x"], "there is no paper P-404"),
    (["new", "--committee", "x"], "needs a title"),
    (["new", "--title", "x", "--decision", "maybe"], "not a decision"),
    (["new", "--title", "x", "--meeting-date", "someday"], "meeting date"),
    (["new", "--title", "x", "--blocks", "charts"], "not a register block"),
    (["new", "--title", "x", "--section", "purpose"], "NAME=TEXT"),
])
def test_paper_user_errors_are_one_line(cli, demo_copy, args, message):
    result = cli("paper", demo_copy, *args)
    assert result.code == 1
    assert message.lower() in result.err.lower()
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err
    # the demo's own business case, and nothing more
    assert [p["ref"] for p in json.loads(cli("list", demo_copy, "papers", "--json").out)] == \
        ["OBC-001"]


def test_markdown_with_stray_text_is_refused_with_the_line(cli, demo_copy, tmp_path):
    source = tmp_path / "bad.md"
    source.write_text("# Title\nsome loose words\n## Purpose\nx\n", "utf-8")
    result = cli("paper", demo_copy, "import", source)
    assert result.code == 1 and "line 2 of bad.md" in result.err.lower()


# --- register content: redaction, closed risks, hostile text ---------------------------------------------


def test_personal_data_is_withheld_and_closed_risks_only_when_asked(demo_copy, tmp_path):
    secret = "Mrs Example of 4 Any Street said her husband waited nine hours"
    long_text = "=HYPERLINK(\"http://x\",\"click\") " + "very long risk text " * 400 + "\x0b end"
    with Register.open(demo_copy) as reg:
        records.save_records(reg, "feedback", [FeedbackItem(
            ref="F-900", comment=secret, route="patient and public",
            action_taken="Passed to PALS for Mrs Example", personal_data=True)])
        records.save_records(reg, "risks", [Risk(ref="R-900", title="=cmd|' /C calc'!A0",
                                                 description=long_text, current=Rating(5, 5))])
        closed = next(r for r in records.all_records(reg, "risks") if r.status == "closed")
        doc = build_report(reg, style="durham")
        with_closed = build_report(reg, style="coventry", include_closed=True)
        without = build_report(reg, style="coventry")
    body = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "Mrs Example" not in body and "husband" not in body
    assert "Withheld: this item holds personal data" in body
    description = _table(doc, "Engagement Route")._tbl.tblPr.find(qn("w:tblDescription"))
    assert "1 item withheld as personal data" in description.get(qn("w:val"))

    def log_refs(d):
        table = [t for t in d.tables if t.rows[0].cells[1].text == "Risk"][0]
        return [r[0] for r in _rows(table)[1:]]

    assert closed.ref in log_refs(with_closed) and closed.ref not in log_refs(without)
    risk_cell = [r for r in _rows([t for t in without.tables
                                   if t.rows[0].cells[1].text == "Risk"][0]) if r[0] == "R-900"][0]
    assert risk_cell[1].startswith("=cmd|' /C calc'!A0\n=HYPERLINK(")  # plain text, as typed
    assert "\x0b" not in risk_cell[1] and risk_cell[1].endswith("  end")
    xml = without.element.xml
    assert "fldSimple" not in xml and "HYPERLINK" not in "".join(
        i.text for i in without.element.iter(qn("w:instrText")))


# --- templates ----------------------------------------------------------------------------------------


def _council_template(path):
    """A council's own template: its header, a Heading 1 in its font, and no 'List Bullet'
    or 'Table Text' styles."""
    from test_report_docx_xml import _png

    logo = path.with_suffix(".png")
    logo.write_bytes(_png())
    doc = docx.Document()
    doc.sections[0].header.paragraphs[0].text = "Borsetshire County Council"
    doc.sections[0].header.add_paragraph().add_run().add_picture(str(logo))  # no alt text
    doc.styles["Heading 1"].font.name = "Georgia"
    for name in ("List Bullet",):
        doc.styles.element.remove(doc.styles[name].element)
    doc.add_paragraph("Template instructions that must not reach the report")
    doc.save(path)
    return path


def test_council_template_is_honoured_and_missing_styles_reported_once(demo_copy, tmp_path):
    template = _council_template(tmp_path / "borsetshire.docx")
    out = tmp_path / "r.docx"
    with Register.open(demo_copy, readonly=True) as reg:
        warnings = write_report(reg, out, style="coventry", template=template)
    assert len(warnings) == 1
    assert "'List Bullet'" in warnings[0] and "'Table Text'" in warnings[0]
    doc = docx.Document(str(out))
    assert doc.sections[0].header.paragraphs[0].text == "Borsetshire County Council"
    assert doc.styles["Heading 1"].font.name == "Georgia"
    assert all("Template instructions" not in p.text for p in doc.paragraphs)
    assert doc.styles["Table Text"].type == WD_STYLE_TYPE.PARAGRAPH
    assert any(p.style.name == "Heading 1" and p.text == "1 Purpose" for p in doc.paragraphs)
    footer = doc.sections[0].footer._element
    assert [i.text.strip() for i in footer.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]
    assert "List Bullet" in doc.styles  # the plain fallback, so later edits in Word work too
    pictures = list(doc.sections[0].header._element.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"))
    assert len(pictures) == 1 and pictures[0].get("descr") == "Organisation logo"


def test_bad_template_and_bad_output_are_one_line_errors_leaving_nothing(cli, demo_copy, tmp_path):
    fake = tmp_path / "fake.docx"
    fake.write_text("not a zip", "utf-8")
    out = tmp_path / "r.docx"
    result = cli("report", demo_copy, "--template", fake, "-o", out)
    assert result.code == 1 and "fake.docx" in result.err and "Traceback" not in result.err
    assert not out.exists() and not list(tmp_path.glob("*.partial"))
    result = cli("report", demo_copy, "-o", tmp_path / "missing" / "r.docx")
    assert result.code == 1 and "does not exist" in result.err
    result = cli("report", demo_copy, "--style", "leeds", "-o", out)
    assert result.code == 2


def test_report_command_writes_and_reports_notes(cli, demo_copy, tmp_path):
    template = _council_template(tmp_path / "t.docx")
    out = tmp_path / "d.docx"
    result = cli("report", demo_copy, "--style", "durham", "--template", template,
                 "--as-at", "2017-11-09", "-o", out)
    assert result.code == 0, result.err
    assert result.err.count("Note:") == 1
    assert out.exists() and docx.Document(str(out)).paragraphs[0].text


def test_as_at_changes_rag_and_overdue(demo_register):
    from datetime import date

    with Register.open(demo_register, readonly=True) as reg:
        early = build_report(reg, style="coventry", as_at=date(2017, 7, 1))
    actions = [t for t in early.tables if _rows(t)[0][:2] == ["Ref", "Action"]][0]
    assert not any("OVERDUE" in r[4] for r in _rows(actions)[1:])


def test_unknown_paper_is_a_report_error(demo_register):
    with Register.open(demo_register, readonly=True) as reg, \
            pytest.raises(ReportError, match="no paper P-404"):
        build_report(reg, paper_ref="P-404")


def test_shipped_templates_are_rebuilt_by_the_script(tmp_path):
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "resources" / "build_templates.py"
    spec = importlib.util.spec_from_file_location("build_templates", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.build(tmp_path)
    assert sorted(p.name for p in written) == ["coventry.docx", "durham.docx", "nhs-cover.docx"]
    for path in written:
        doc = docx.Document(str(path))
        assert not doc.paragraphs or not any(p.text for p in doc.paragraphs)
        assert round(doc.sections[0].page_width.cm, 1) == 21.0  # A4, not US Letter
        assert doc.styles["Normal"].font.name == "Arial"
        assert "Table Text" in doc.styles
        footer = doc.sections[0].footer._element
        assert [i.text.strip() for i in footer.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]
        shipped = script.parent / "templates" / path.name
        assert shipped.exists(), f"run {script.name} to build {shipped.name}"
        assert docx.Document(str(shipped)).styles["Normal"].font.name == "Arial"


def test_a_papers_own_style_is_used_when_none_is_asked_for(demo_copy, tmp_path):
    """What the agenda pack relies on: write_report(reg, out, paper_ref=...) alone."""
    from ooh_desk.services.papers import new_paper

    with Register.open(demo_copy) as reg:
        paper = new_paper(reg, {"title": "Scrutiny update", "committee": "Scrutiny",
                                "style": "durham"}, {"purpose": "To update."})
        out = tmp_path / "p.docx"
        # no warning but what the paper still lacks (test_report_prose)
        assert [w for w in write_report(reg, out, paper_ref=paper.ref) if "yet:" not in w] == []
    heads = [t for _, t in _headings(docx.Document(str(out)))]
    assert heads[0] == "Purpose of the Report"


def test_meeting_sets_committee_and_date_and_decisions_block_lists_resolved(cli, demo_copy,
                                                                            tmp_path):
    from ooh_desk.store import meetings

    with Register.open(demo_copy, readonly=True) as reg:
        held = meetings.all_meetings(reg)
        resolved = meetings.decisions(reg)
    if not held or not resolved:
        pytest.skip("the demo register has no meetings with decisions")
    meeting = held[-1]
    out = tmp_path / "m.docx"
    result = cli("paper", demo_copy, "new", "--title", "Decisions so far", "--blocks",
                 "decisions,timeline")
    assert result.code == 0, result.err
    result = cli("report", demo_copy, "--paper", "P-001", "--meeting", meeting.ref, "-o", out)
    assert result.code == 0, result.err
    doc = docx.Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    assert any(t.startswith("To:") and meeting.committee in t for t in texts)
    assert any(t.startswith("Date:") and str(meeting.date.year) in t for t in texts)
    table = _table(doc, "Meeting and minute")
    rows = _rows(table)[1:]
    assert len(rows) == len(resolved)
    assert {r[1] for r in rows} == {d.text for d in resolved}
    assert rows[0][0].startswith(meeting.committee)  # newest meeting first
    assert "Appendix 2 Decisions" in [t for _, t in _headings(doc)]
    result = cli("report", demo_copy, "--meeting", "NOPE-1", "-o", tmp_path / "x.docx")
    assert result.code == 1 and "no meeting" in result.err
