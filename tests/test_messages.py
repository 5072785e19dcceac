"""What the user reads when something is wrong with a file: names kept as typed, an
unterminated quote and an uncalculated formula called what they are, a CSV's text encoding
worked out and reported (never guessed silently), and a missing Qt library named before Qt
can abort the app."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from conftest import write_csv
from openpyxl import Workbook
from test_import_csv import snapshot

from ooh_desk.errors import plain_message
from ooh_desk.store import Register, records

HEADER = "ref,title,owner,likelihood,impact\n"


def titles(path):
    with Register.open(path, readonly=True) as reg:
        return {r.ref: r.title for r in records.all_records(reg, "risks")}


# --- names keep their case ----------------------------------------------------------------------


@pytest.mark.parametrize(("message", "shown"), [
    ("phone_list.xlsx: no sheet has recognisable columns",
     "phone_list.xlsx: no sheet has recognisable columns"),
    ("rofile/a.oohdesk is read-only", "rofile/a.oohdesk is read-only"),
    (r"c:\users\ann\risks.csv row 3: a title is needed",
     r"c:\users\ann\risks.csv row 3: a title is needed"),
    ("r-001 is used again (first on row 2)", "r-001 is used again (first on row 2)"),
    ("risks: the header is on row 2", "risks: the header is on row 2"),
    ("the folder   /tmp/x\ndoes not exist", "The folder /tmp/x does not exist"),
    ("cannot write report.docx", "Cannot write report.docx"),
    ("there's no file at notes.csv", "There's no file at notes.csv"),
])
def test_plain_message_capitalises_a_word_but_never_a_name(message, shown):
    assert plain_message(message) == shown


def test_a_file_name_opening_a_refusal_keeps_its_case(cli, register, tmp_path):
    source = tmp_path / "phone_list.xlsx"
    source.write_text("Name,Phone\nAnn,123\n")
    result = cli("import", register, source)
    assert result.code == 1
    assert result.err.startswith("phone_list.xlsx is not an Excel .xlsx file"), result.err


def test_a_path_opening_a_refusal_keeps_its_case(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rofile").mkdir()
    (tmp_path / "rofile" / "a.oohdesk").write_text("not a register")
    write_csv(tmp_path / "risks.csv", HEADER + "R-001,Estates,CFO,2,3\n")
    result = cli("import", "rofile/a.oohdesk", "risks.csv")
    assert result.code == 1
    assert result.err.startswith("rofile/a.oohdesk "), result.err


# --- an unterminated quote ------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "row"), [
    (HEADER + 'R-001,Estates,CFO,2,3\nR-002,"Staffing,HR,3,3\n', 3),
    (HEADER + 'R-001,"Estates costs rise,CFO,2,3\nR-002,Staffing,HR,3,3\nR-003,IT,CIO,2,2\n', 2),
    (HEADER + 'R-001,Estates,CFO,2,"3', 2),
    # beyond the csv module's largest field: refused for the quote, not for the size
    (HEADER + 'R-001,"Estates,CFO,2,3\n' + "R-002,Staffing costs rise,HR,3,3\n" * 8000, 2),
])
def test_an_unterminated_quote_is_named_with_its_row(cli, register, tmp_path, text, row):
    source = write_csv(tmp_path / "risks.csv", text)
    before = snapshot(register)
    result = cli("import", register, source)
    assert result.code == 1
    assert result.err.strip().splitlines() == [
        f"risks.csv row {row}: a quoted value starts here but its closing quote is missing"]
    assert snapshot(register) == before


def test_a_quoted_value_over_several_lines_is_still_one_cell(cli, register, tmp_path):
    source = write_csv(tmp_path / "risks.csv",
                       HEADER + 'R-001,"Estates\ncosts rise",CFO,2,3\nR-002,Staffing,HR,3,3\n')
    result = cli("import", register, source)
    assert result.code == 0, result.err
    assert titles(register) == {"R-001": "Estates\ncosts rise", "R-002": "Staffing"}


# --- a formula with no saved result ---------------------------------------------------------------


def test_a_formula_without_a_saved_result_says_so(cli, register, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Risks"
    ws.append(["Ref", "Title", "Owner", "Likelihood", "Impact"])
    ws.append(["R-001", "Estates", "CFO", 2, 3])
    ws.append(["R-002", '=UPPER("staffing")', "HR", 3, 3])  # openpyxl saves no result
    wb.save(tmp_path / "book.xlsx")
    before = snapshot(register)
    result = cli("import", register, tmp_path / "book.xlsx")
    assert result.code == 1
    assert result.err.strip().splitlines() == [
        "book.xlsx, sheet 'Risks', row 3, column B ('Title'): the cell holds a formula "
        '(=UPPER("staffing")) with no saved result; open the file in Excel or LibreOffice '
        "and save it, then import again"]
    assert "title is needed" not in result.err
    assert snapshot(register) == before


def test_an_uncalculated_score_product_is_still_worked_out(cli, register, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Ref", "Title", "Likelihood", "Impact", "Score", "Notes"])
    ws.append(["R-001", "Estates", 2, 3, "=C2*D2", "=A2&B2"])  # Notes is not imported
    wb.save(tmp_path / "book.xlsx")
    result = cli("import", register, tmp_path / "book.xlsx")
    assert result.code == 0, result.err
    assert titles(register) == {"R-001": "Estates"}


# --- encodings ------------------------------------------------------------------------------------

TITLE = "Provider\u2019s finances \u2013 £2m gap, café"


def _import_json(cli, register, source):
    result = cli("import", register, source, "--json")
    return result, (json.loads(result.out) if result.out else None)


@pytest.mark.parametrize(("encoding", "bom", "shown"), [
    ("utf-8", b"", "UTF-8"),
    ("utf-8", b"\xef\xbb\xbf", "UTF-8"),
    ("cp1252", b"", "Windows-1252"),
])
def test_the_report_says_which_encoding_was_used(cli, register, tmp_path, encoding, bom, shown):
    source = tmp_path / "risks.csv"
    source.write_bytes(bom + (HEADER + f'R-001,"{TITLE}",CFO,2,3\n').encode(encoding))
    result, data = _import_json(cli, register, source)
    assert result.code == 0, result.err
    assert data["encoding"] == shown
    assert titles(register) == {"R-001": TITLE}
    plain = cli("import", register, source, "--dry-run")
    assert f"read as {shown}" in plain.out


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_excel_unicode_text_utf16_tab_separated_is_read(cli, register, tmp_path, codec):
    bom = "\ufeff".encode(codec)
    text = ("Risk ID\tRisk\tOwner\tLikelihood\tImpact\r\n"
            f"R-001\t{TITLE}\tCFO\t2\t3\r\nR-002\tStaffing\tHR\t3\t3\r\n")
    source = tmp_path / "risks.txt"
    source.write_bytes(bom + text.encode(codec))
    result, data = _import_json(cli, register, source)
    assert result.code == 0, result.err
    assert data["encoding"] == "UTF-16"
    assert titles(register) == {"R-001": TITLE, "R-002": "Staffing"}


def test_the_import_wizard_says_when_it_read_windows_1252(qtbot, edits, tmp_path):
    from gui_support import wizard_on

    source = tmp_path / "actions.csv"
    source.write_bytes("ref,description,owner,due,status\n"
                       "A-901,Book the caf\u00e9 \u2013 £40,Events team,1/12/2017,open\n"
                       .encode("cp1252"))
    wizard = wizard_on(qtbot, edits, source, "actions")
    wizard.next()
    wizard.next()
    assert wizard.currentPage() is wizard.summary_page, wizard.mapping_page.message.text()
    assert "Text read as Windows-1252" in wizard.summary_page.counts.text()


def test_bytes_undefined_in_windows_1252_are_refused_by_name(cli, register, tmp_path):
    source = tmp_path / "odd.csv"
    source.write_bytes((HEADER + "R-001,Estates,CFO,2,3\n").encode() + b"R-002,Sta\x81ff,HR,3,3\n")
    before = snapshot(register)
    result = cli("import", register, source)
    assert result.code == 1
    assert result.err.strip().splitlines() == [
        "odd.csv line 3: byte 0x81 is neither UTF-8 nor Windows-1252 text; save the file "
        "as \"CSV UTF-8\" (Excel: File > Save As) and import again"]
    assert snapshot(register) == before


def test_nul_bytes_without_a_utf16_mark_are_refused_by_name(cli, register, tmp_path):
    source = tmp_path / "nomark.csv"
    source.write_bytes((HEADER + "R-001,Estates,CFO,2,3\n").encode("utf-16-le"))  # no BOM
    result = cli("import", register, source)
    assert result.code == 1
    assert result.err.startswith("nomark.csv holds NUL bytes"), result.err
    assert "UTF-16" in result.err and "byte-order mark" in result.err


def test_utf8_with_one_stray_byte_is_refused_not_read_as_mojibake(cli, register, tmp_path):
    source = tmp_path / "mixed.csv"
    source.write_bytes((HEADER + "R-001,Café,CFO,2,3\n").encode("utf-8")
                       + "R-002,Entrée,HR,3,3\n".encode("cp1252"))
    before = snapshot(register)
    result = cli("import", register, source)
    assert result.code == 1
    assert result.err.strip().splitlines() == [
        "mixed.csv mixes two text encodings: it is partly UTF-8, but line 3 holds byte 0xE9, "
        "which is not UTF-8; save the file as \"CSV UTF-8\" (Excel: File > Save As) and "
        "import again"]
    assert snapshot(register) == before


# --- Qt's xcb libraries ---------------------------------------------------------------------------


@pytest.fixture
def x11_session(monkeypatch):
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setenv("DISPLAY", ":0")
    for name in ("WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    started = []
    import ooh_desk.gui.launch

    monkeypatch.setattr(ooh_desk.gui.launch, "run", lambda *a, **k: started.append(
        os.environ.get("QT_QPA_PLATFORM")) or 0)
    return started


def test_a_missing_xcb_library_is_named_with_its_package(cli, register, x11_session,
                                                         monkeypatch):
    from ooh_desk.gui import qt_libraries

    ldd = ("\tlibQt6XcbQpa.so.6 => /opt/Qt/lib/libQt6XcbQpa.so.6 (0x00007f)\n"
           "\tlibxcb-cursor.so.0 => not found\n"
           "\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f)\n")
    monkeypatch.setattr(qt_libraries, "_ldd", lambda path: ldd)
    result = cli("gui", register)
    assert result.code == 1
    assert result.err.strip().splitlines() == [
        "The desktop app cannot open a window: Qt's X11 (xcb) platform needs "
        "libxcb-cursor.so.0, which is not installed; on Debian or Ubuntu: sudo apt-get "
        "install libxcb-cursor0"]
    assert x11_session == []


def test_without_ldd_the_known_libraries_are_tried(cli, register, x11_session, monkeypatch):
    from ooh_desk.gui import qt_libraries

    monkeypatch.setattr(qt_libraries, "_ldd", lambda path: None)
    monkeypatch.setattr(qt_libraries, "_loadable",
                        lambda name: name not in ("libxcb-icccm.so.4", "libxkbcommon-x11.so.0"))
    result = cli("gui", register)
    assert result.code == 1
    assert "needs libxkbcommon-x11.so.0 and libxcb-icccm.so.4, which are not installed" \
        in result.err
    assert result.err.strip().endswith("sudo apt-get install libxkbcommon-x11-0 libxcb-icccm4")
    assert x11_session == []


def test_wayland_is_used_when_xcb_cannot_load_and_wayland_can(cli, register, x11_session,
                                                              monkeypatch):
    from ooh_desk.gui import qt_libraries

    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    monkeypatch.setattr(qt_libraries, "_ldd", lambda path: "\tlibxcb-cursor.so.0 => not found\n"
                        if "xcb" in path.name else "")
    result = cli("gui", register)
    assert result.code == 0, result.err
    assert x11_session == ["wayland"]


def test_on_this_machine_every_xcb_library_is_present(monkeypatch):
    from ooh_desk.gui import qt_libraries

    assert qt_libraries.missing("xcb") == []
    monkeypatch.setattr(qt_libraries, "_ldd", lambda path: None)  # the ctypes way
    assert qt_libraries.missing("xcb") == []


def test_a_display_no_x_server_answers_at_is_named(cli, register, x11_session, monkeypatch):
    from ooh_desk.gui import qt_libraries

    monkeypatch.setenv("DISPLAY", ":987")  # real libxcb, asking a display nobody serves
    assert qt_libraries.missing("xcb") == []
    result = cli("gui", register)
    assert result.code == 1
    assert result.err.startswith("The desktop app cannot open a window: no X display answers "
                                 "at DISPLAY=:987;"), result.err
    assert x11_session == []


def test_other_platforms_and_systems_are_not_checked(cli, register, x11_session, monkeypatch):
    from ooh_desk.gui import qt_libraries

    monkeypatch.setattr(qt_libraries, "_ldd", lambda path: "\tlibxcb.so.1 => not found\n")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert cli("gui", register).code == 0
    monkeypatch.delenv("QT_QPA_PLATFORM")
    monkeypatch.setattr("sys.platform", "win32")
    assert cli("gui", register).code == 0
    assert x11_session == ["offscreen", None]


@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="needs Xvfb (package xvfb)")
def test_a_display_that_answers_with_every_library_present_passes(monkeypatch):
    from ooh_desk.gui import qt_libraries

    ready, told = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(told), "-nolisten", "tcp"],
                              pass_fds=(told,), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    os.close(told)
    try:
        with os.fdopen(ready) as pipe:
            number = pipe.readline().strip()  # written once the server accepts clients
        assert number, "Xvfb did not start"
        monkeypatch.setattr("sys.platform", "linux")
        monkeypatch.setenv("DISPLAY", f":{number}")
        monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
        assert qt_libraries.problem() is None
        assert "QT_QPA_PLATFORM" not in os.environ
    finally:
        server.kill()
        server.wait()
