"""The exported Excel risk log, read back with openpyxl (and LibreOffice for print): sheets,
layout, print set-up, band colours with words, injection-proof text, and the round trip."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from dataclasses import fields, replace
from datetime import date

import pytest
from conftest import write_csv
from openpyxl import load_workbook

from ooh_desk.domain.board_dates import parse_board_date
from ooh_desk.domain.records import Mitigation, Risk
from ooh_desk.domain.scoring import DEFAULT_BANDS, Rating
from ooh_desk.exports.risk_log import LOG_COLUMNS
from ooh_desk.services.listing import list_records
from ooh_desk.store import Register, records


@pytest.fixture(scope="module")
def demo_log(demo_register, tmp_path_factory):
    """The demo's log, written from a copy: an export enters itself on the issue list, and
    the shared demo must stay as built."""
    import shutil

    from ooh_desk.cli import main

    folder = tmp_path_factory.mktemp("log")
    register = shutil.copy(demo_register, folder / "demo.oohdesk")
    out = folder / "risk-log.xlsx"
    assert main(["export", str(register), "risk-log", "-o", str(out)]) == 0
    return out


def headings(ws):
    return [" ".join(str(c.value).split()) for c in ws[1]]


def test_workbook_has_the_five_sheets_and_the_log_in_council_order(demo_log):
    wb = load_workbook(demo_log)
    assert wb.sheetnames == ["Risk log", "Heat map", "Closed risks", "Mitigating actions", "Key"]
    assert headings(wb["Risk log"]) == [
        "Ref", "Risk", "Description", "Owner",
        "Inherent likelihood", "Inherent impact", "Inherent score", "Current likelihood",
        "Current impact", "Current score", "Band", "Trend", "Category", "Workstream",
        "Treatment", "Controls", "Mitigating actions", "Target score", "Review date", "Status"]


def test_log_rows_match_the_register_with_band_words_and_trend(demo_register, demo_log):
    with Register.open(demo_register, readonly=True) as reg:
        listed = {r["ref"]: r for r in list_records(reg, "risks")}
        risks = {r.ref: r for r in records.all_records(reg, "risks")}
    ws = load_workbook(demo_log)["Risk log"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == set(listed)
    for ref, item in listed.items():
        row = dict(zip(headings(ws), rows[ref], strict=True))
        assert row["Current score"] == item["current"]["score"]
        assert row["Band"] == item["band"]
        assert row["Trend"].endswith({"up": "Rising", "down": "Falling",
                                      "steady": "No change"}[item["trend"]])
        assert row["Status"].lower() == item["status"]
        lines = row["Mitigating actions"].split("\n") if row["Mitigating actions"] else []
        assert lines == [f"\u2022 {m.description}" for m in risks[ref].mitigations]
    trends = {rows[ref][11] for ref in rows}
    assert any("Rising" in t for t in trends) and any("Falling" in t for t in trends)


def test_frozen_header_filter_validation_and_band_formatting(demo_log):
    ws = load_workbook(demo_log)["Risk log"]
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref == f"A1:T{ws.max_row}"
    lists = {dv.formula1: str(dv.sqref) for dv in ws.data_validations.dataValidation}
    assert lists['"1,2,3,4,5"'] in ("E2:E1000 H2:H1000", "F2:F1000 I2:I1000")
    assert lists['"Open,Escalated,Closed"'] == "T2:T1000"
    assert lists['"Treat,Tolerate,Transfer,Terminate"'] == "O2:O1000"
    assert len(ws.data_validations.dataValidation) == 4
    rules = {rng.sqref: [r for r in rules] for rng, rules in ws.conditional_formatting._cf_rules.items()}
    band_rules = next(v for k, v in rules.items() if str(k).startswith("K2:"))
    assert [r.formula[0] for r in band_rules] == ['"Low"', '"Moderate"', '"High"', '"Extreme"']
    assert [r.dxf.fill.fgColor.rgb[-6:] for r in band_rules] == ["92D050", "FFFF00", "FFC000",
                                                                  "FF0000"]
    widths = [ws.column_dimensions[c].width for c in "ABCQ"]
    assert widths == [c.width for c in (LOG_COLUMNS[0], LOG_COLUMNS[1], LOG_COLUMNS[2],
                                        LOG_COLUMNS[16])]
    assert ws["C2"].alignment.wrap_text and ws.row_dimensions[2].height > 20


def test_print_setup_landscape_two_pages_wide_titles_and_header_footer(demo_log):
    ws = load_workbook(demo_log)["Risk log"]
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == "9"
    assert ws.page_setup.scale == 95 and not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1" and ws.print_title_cols == "$A:$B"
    assert ws.oddHeader.left.text == "&BRisk log&B as at 9 November 2017"
    assert ws.oddHeader.right.text == "&BOFFICIAL&B"
    assert ws.oddFooter.center.text == "Page &P of &N"
    assert ws.oddFooter.right.text == "Out of Hospital Community Services Programme"


def test_heat_map_counts_open_risks_with_band_words(demo_register, demo_log):
    with Register.open(demo_register, readonly=True) as reg:
        live = [r for r in records.all_records(reg, "risks") if r.status != "closed"]
    ws = load_workbook(demo_log)["Heat map"]
    assert [ws.cell(5, c).value for c in range(3, 8)] == [
        "1 Negligible", "2 Minor", "3 Moderate", "4 Major", "5 Catastrophic"]
    assert [ws.cell(r, 2).value for r in range(6, 11)] == [
        "5 Almost certain", "4 Likely", "3 Possible", "2 Unlikely", "1 Rare"]
    total = 0
    for row, likelihood in zip(range(6, 11), range(5, 0, -1), strict=True):
        for col, impact in zip(range(3, 8), range(1, 6), strict=True):
            cell = ws.cell(row, col)
            expected = sum(1 for r in live if (r.current.likelihood, r.current.impact)
                           == (likelihood, impact))
            assert cell.value == expected
            total += cell.value
            word = {5: "Extreme", 4: "Extreme"}.get(likelihood) if impact >= 4 else None
            if word:
                assert cell.number_format == f'"{word}: "0'
    assert total == len(live)
    assert ws.cell(10, 3).fill.fgColor.rgb[-6:] == "92D050"  # 1 x 1: Low


def test_closed_actions_and_key_sheets(demo_register, demo_log):
    wb = load_workbook(demo_log)
    with Register.open(demo_register, readonly=True) as reg:
        risks = records.all_records(reg, "risks")
    closed = [r.ref for r in risks if r.status == "closed"]
    assert closed and [r[0] for r in wb["Closed risks"].iter_rows(min_row=2, values_only=True)] \
        == closed
    actions = list(wb["Mitigating actions"].iter_rows(min_row=2, values_only=True))
    # Every risk's actions, closed risks' too (so the log reads back whole), in log order.
    assert [(a[0], a[2]) for a in actions] == [(r.ref, m.description) for r in risks
                                               for m in r.mitigations]
    overdue = {r.ref: {a[6] for a in actions if a[0] == r.ref} for r in risks if r.mitigations}
    assert all(overdue[ref] == {"No (risk closed)"} for ref in closed if ref in overdue)
    assert any(ref in overdue for ref in closed)
    assert set().union(*(v for k, v in overdue.items() if k not in closed)) <= {"Overdue", "No"}
    key = [tuple(r) for r in wb["Key"].iter_rows(values_only=True)]
    assert ("Extreme", "Scores 15 to 25") in key and ("Likelihood 5", "Almost certain") in key


HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1+2", "-3+4", "@SUM(A1:A2)",
           "\tcmd", "=1+1"]


@pytest.fixture
def hostile_register(cli, register, tmp_path):
    lines = ["ref,title,owner,likelihood,impact,mitigations,controls"]
    for n, text in enumerate(HOSTILE, 1):
        quoted = '"' + text.replace('"', '""') + '"'
        lines.append(f"R-{n:03d},{quoted},{quoted},3,4,{quoted},{quoted}")
    result = cli("import", register, write_csv(tmp_path / "h.csv", "\n".join(lines) + "\n"))
    assert result.code == 0, result.err
    return register


def test_no_user_text_becomes_a_formula(cli, hostile_register, tmp_path):
    out = tmp_path / "log.xlsx"
    assert cli("export", hostile_register, "risk-log", "-o", out).code == 0
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in z.read(name).decode("utf-8"), name
    ws = load_workbook(out)["Risk log"]
    rows = list(ws.iter_rows(min_row=2))
    with Register.open(hostile_register, readonly=True) as reg:
        stored = {r.ref: r for r in records.all_records(reg, "risks")}
    for row in rows:
        title, owner = row[1], row[3]
        expected = stored[row[0].value].title
        assert title.value == expected and title.data_type == "s"
        assert owner.value == stored[row[0].value].owner
        if expected.startswith(("=", "+", "-", "@", "\t")):
            assert title.quotePrefix, expected
    assert {r[1].value for r in rows} >= {"=1+1", "@SUM(A1:A2)"}


def test_protective_marking_and_ampersand_in_programme_name(cli, register, tmp_path):
    source = write_csv(tmp_path / "r.csv", "ref,title,likelihood,impact\nR-1,Estates,2,3\n")
    assert cli("import", register, source).code == 0
    with Register.open(register) as reg:
        reg.set_programme(replace(reg.programme, name="Coventry & Warwickshire",
                                  protective_marking="OFFICIAL-SENSITIVE"))
    out = tmp_path / "log.xlsx"
    assert cli("export", register, "risk-log", "-o", out, "--as-at", "2018-01-04").code == 0
    ws = load_workbook(out)["Risk log"]
    assert ws.oddFooter.right.text == "Coventry && Warwickshire"
    assert ws.oddHeader.right.text == "&BOFFICIAL-SENSITIVE&B"
    assert "as at 4 January 2018" in ws.oddHeader.left.text


def test_failed_export_leaves_nothing(cli, demo_register, tmp_path):
    result = cli("export", demo_register, "risk-log", "-o", tmp_path / "missing" / "log.xlsx")
    assert result.code == 1 and "does not exist" in result.err
    assert list(tmp_path.iterdir()) == []


def test_round_trip_same_refs_scores_and_mitigations(cli, demo_register, demo_log, tmp_path):
    fresh, result = import_fresh(cli, demo_log, tmp_path)
    assert result.code == 0, result.err
    assert "sheet 'Risk log': risks" in result.out
    with Register.open(demo_register, readonly=True) as a, Register.open(fresh) as b:
        before = {r.ref: r for r in records.all_records(a, "risks")}
        after = {r.ref: r for r in records.all_records(b, "risks")}
    assert list(after) == list(before)
    for ref, old in before.items():
        new = after[ref]
        assert (new.inherent, new.current, new.target) == (old.inherent, old.current, old.target)
        assert [m.description for m in new.mitigations] == [m.description for m in old.mitigations]
        assert (new.title, new.owner, new.status, new.controls) == \
            (old.title, old.owner, old.status, old.controls)
        assert new.review_date == old.review_date


# What a risk log carries back, field by field; raised and reviewed_by are not log columns
# (the JSON export carries everything).
# The Board Assurance Framework's fields (baf, objectives, target_date) are not columns of
# the risk log: a log imported again over the register leaves them as they were.
ROUND_TRIP_FIELDS = [f.name for f in fields(Risk) if f.name not in (
    "uuid", "raised", "reviewed_by", "baf", "objectives", "target_date")]


@pytest.fixture
def worked_demo(demo_copy):
    """The demo register with actions given owners, due dates (exact and vague) and statuses,
    a closed risk's too, and a reason each closed risk was closed."""
    with Register.open(demo_copy) as reg, reg.transaction():
        risks = records.all_records(reg, "risks")
        closed = [r for r in risks if r.status == "closed"] or [risks[-1]]
        for risk in closed:  # whatever the demo holds, a closed risk with actions
            risk.status = "closed"
            risk.mitigations = risk.mitigations or [Mitigation("Kept under watch")]
        changed = []
        for n, risk in enumerate(risks[:5] + closed):
            risk.mitigations = [replace(m, owner=f"Owner {n}.{i}", due=parse_board_date(
                ("04/12/2017", "December 2017", "Q4 2017/18")[i % 3]),
                status=("in progress", "complete", "cancelled", "open")[(n + i) % 4])
                for i, m in enumerate(risk.mitigations)]
            if risk.status == "closed":
                risk.closed_reason = f"Closed at the {n} board: =no longer applies"
            changed.append(risk)
        records.save_records(reg, "risks", changed)
    return demo_copy


def exported(cli, register, tmp_path, edits=()):
    """The register's risk log, with any (sheet, cell, value) edits a user made in Excel."""
    log = tmp_path / "log.xlsx"
    assert cli("export", register, "risk-log", "-o", log).code == 0
    if edits:
        wb = load_workbook(log)
        for sheet, cell, value in edits:
            wb[sheet][cell] = value
        wb.save(log)
    return log


def import_fresh(cli, log, tmp_path, *options):
    """Import a log into a new register: (the register, the CLI's result)."""
    fresh = tmp_path / "fresh.oohdesk"
    assert cli("init", fresh).code == 0
    return fresh, cli("import", fresh, log, *options)


def test_round_trip_field_by_field_with_actions_whole(cli, worked_demo, tmp_path):
    fresh, result = import_fresh(cli, exported(cli, worked_demo, tmp_path), tmp_path)
    assert result.code == 0, result.err
    with Register.open(worked_demo, readonly=True) as a, Register.open(fresh) as b:
        before = {r.ref: r for r in records.all_records(a, "risks")}
        after = {r.ref: r for r in records.all_records(b, "risks")}
    assert list(after) == list(before)
    for ref, old in before.items():
        for name in ROUND_TRIP_FIELDS:
            assert getattr(after[ref], name) == getattr(old, name), (ref, name)
    closed = [r for r in before.values() if r.status == "closed"]
    assert all(r.closed_reason.startswith("Closed at the") for r in closed)
    owned = [m for r in before.values() for m in r.mitigations if m.owner]
    assert {m.status for m in owned} == {"in progress", "complete", "cancelled", "open"}
    assert {m.due.exact for m in owned} == {True, False}
    # The closed risks come in once, from the log sheet; the closed sheet adds only reasons.
    assert f"Imported: {len(before)} new, 0 updated" in result.out and closed


def test_own_log_imported_again_into_its_register_is_unchanged(cli, worked_demo, tmp_path):
    log = exported(cli, worked_demo, tmp_path)
    # Raised and reviewed_by are not log columns: a re-import would clear them, so compare
    # with a register that has none, to see that everything the log carries reads as it was.
    with Register.open(worked_demo) as reg, reg.transaction():
        records.save_records(reg, "risks", [replace(r, raised=None, reviewed_by="")
                                            for r in records.all_records(reg, "risks")])
        count = records.total_records(reg, "risks")
    result = cli("import", worked_demo, log, "--json", "--dry-run")
    assert result.code == 0, result.err
    assert json.loads(result.out)["counts"] == {"new": 0, "updated": 0, "unchanged": count,
                                                "refused": 0}


def test_bad_action_row_refuses_the_whole_log(cli, worked_demo, tmp_path):
    log = exported(cli, worked_demo, tmp_path, [("Mitigating actions", "E3", "the twelfth of never"),
                                                ("Mitigating actions", "F5", "Half done")])
    fresh, result = import_fresh(cli, log, tmp_path)
    assert result.code == 1
    assert "sheet 'Mitigating actions' row 3, column 'Due'" in result.err
    assert "and 1 more problem" in result.err and "Traceback" not in result.err
    with Register.open(fresh, readonly=True) as reg:
        assert records.total_records(reg, "risks") == 0


def test_actions_for_a_risk_not_on_the_log_are_refused(cli, worked_demo, tmp_path):
    log = exported(cli, worked_demo, tmp_path, [("Mitigating actions", "A2", "R-999")])
    fresh, result = import_fresh(cli, log, tmp_path)
    assert result.code == 1
    assert "sheet 'Mitigating actions' row 2, column 'Risk ref': R-999 is not a risk on sheet " \
           "'Risk log'" in result.err
    with Register.open(fresh, readonly=True) as reg:
        assert records.total_records(reg, "risks") == 0


def test_naming_the_log_sheet_reads_it_alone(cli, worked_demo, tmp_path):
    log = exported(cli, worked_demo, tmp_path)
    fresh, result = import_fresh(cli, log, tmp_path, "--sheet", "Risk log")
    assert result.code == 0, result.err
    with Register.open(worked_demo, readonly=True) as a, Register.open(fresh) as b:
        before = {r.ref: r for r in records.all_records(a, "risks")}
        after = {r.ref: r for r in records.all_records(b, "risks")}
    assert list(after) == list(before)
    for ref, old in before.items():  # the actions' words, from the log's own column only
        assert [m.description for m in after[ref].mitigations] == \
            [m.description for m in old.mitigations]
        assert all(m.owner == "" and m.due is None for m in after[ref].mitigations)


def test_a_log_with_renamed_sheets_imports_as_any_register(cli, demo_register, demo_log, tmp_path):
    copy = tmp_path / "renamed.xlsx"
    wb = load_workbook(demo_log)
    wb["Key"].title = "Scoring"
    wb.save(copy)
    fresh, result = import_fresh(cli, copy, tmp_path)
    assert result.code == 0, result.err
    with Register.open(demo_register, readonly=True) as reg:
        count = records.total_records(reg, "risks")
    assert f"Imported: {count} new" in result.out  # the log sheet once; no other sheet added any


def test_risk_pages_give_every_risk_whole_in_ref_order(demo_register):
    with Register.open(demo_register, readonly=True) as reg:
        every = records.all_records(reg, "risks")
        for size in (1, 3, 7, 500):
            pages = list(records.risk_pages(reg, size))
            assert all(len(p) <= size for p in pages) and len(pages) == -(-len(every) // size)
            assert [r for p in pages for r in p] == every


def _synthetic_pages(count, size=500):
    """Risks made as they are read, a page at a time, as the register hands them out."""
    for start in range(0, count, size):
        page = [Risk(ref=f"R-{n:05d}", title=f"Risk {n} " + "word " * (n % 40),
                     description="A description that wraps over a few lines. " * 3,
                     owner=f"Owner {n % 50}", inherent=Rating(4, 5), current=Rating(n % 5 + 1, 3),
                     target=Rating(1, 2), controls="Controls in place.",
                     mitigations=[Mitigation(f"Action {n}.{i}", f"Lead {i}") for i in range(2)],
                     status="closed" if n % 10 == 0 else "open")
                for n in range(start, min(start + size, count))]
        yield page, {r.uuid: [6, 9] for r in page}


def test_memory_does_not_grow_with_rows(tmp_path):
    import tracemalloc

    from ooh_desk.exports.risk_log import _LogWriter

    peaks = []
    for count in (1000, 5000):
        tracemalloc.start()
        wb = _LogWriter("P", "OFFICIAL", date(2017, 11, 9), DEFAULT_BANDS).build(
            _synthetic_pages(count))
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        wb.save(tmp_path / f"log{count}.xlsx")
    # Five times the risks: the same page of records in memory (measured: the same peak).
    assert peaks[1] < peaks[0] * 1.25, peaks
    back = load_workbook(tmp_path / "log5000.xlsx", read_only=True)
    assert sum(1 for _ in back["Risk log"].iter_rows(min_row=2)) == 5000
    back.close()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_prints_on_a4_landscape_with_the_header_repeated(demo_log, tmp_path):
    from pypdf import PdfReader

    profile = tmp_path / "profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(demo_log)],
                   check=True, capture_output=True, timeout=180)
    pdf = PdfReader(tmp_path / "risk-log.pdf")
    first = pdf.pages[0]
    width, height = float(first.mediabox.width), float(first.mediabox.height)
    assert round(width) == 842 and round(height) == 595  # A4 landscape, in points
    texts = [p.extract_text() for p in pdf.pages]
    log_pages = [t for t in texts if "Risk log as at 9 November 2017" in t]
    assert len(log_pages) >= 2
    for n, text in enumerate(log_pages, 1):
        # two pages wide: the risk and its scores, then its controls and actions
        assert re.search(r"Ref\s+Risk\s", text) and ("Description" in text or "Category" in text), \
            f"page {n} lacks the header row"
        assert "OFFICIAL" in text
        assert f"Page {n} of {len(pdf.pages)}" in text
