"""Where an output may be written: never over the register (or its -wal, a backup copy, any
other register), only under the name its kind is written as (.docx, .xlsx, .pdf, .json), never
over a read-only file; a folder that cannot be written into or a name too long for the disk is
one plain line. Outputs keep the user's normal permissions. `list` shows control characters in
titles escaped. Every refusal leaves the register and the folder byte for byte as they were."""

from __future__ import annotations

import csv
import errno
import json
import os
import shutil
import stat

import pytest

MEETING = "CHWB-2017-07-10"  # the demo's minuted meeting; its pack needs no LibreOffice

# Each output command: (the command's arguments before the output, the option naming the
# output, the suffix its output is written as, a wrong suffix for it).
COMMANDS = {
    "report": (["report", "{reg}"], "-o", ".docx", ".pdf"),
    "risk-log": (["export", "{reg}", "risk-log"], "-o", ".xlsx", ".docx"),
    "json": (["export", "{reg}", "json"], "-o", ".json", ".xlsx"),
    "pack": (["pack", "{reg}", "--meeting", MEETING], "-o", ".pdf", ".docx"),
    "private-pack": (["pack", "{reg}", "--meeting", MEETING, "-o", "{folder}/public.pdf"],
                     "--private-out", ".pdf", ".json"),
    "minutes": (["minutes", "{reg}", "--meeting", MEETING], "-o", ".docx", ".pdf"),
}


def _args(command: str, register, output) -> list[str]:
    before, option, _suffix, _wrong = COMMANDS[command]
    return [a.format(reg=register, folder=register.parent) for a in before] + [option,
                                                                               str(output)]


def _folder(path) -> dict[str, bytes | str]:
    """Every name in a folder with its bytes (a symlink: where it points)."""
    return {p.name: (f"-> {os.readlink(p)}" if p.is_symlink() else p.read_bytes())
            for p in sorted(path.iterdir())}


def _refused(result, *words: str) -> None:
    assert result.code == 1, (result.out, result.err)
    assert result.err.strip() and "\n" not in result.err.strip(), result.err
    assert "Traceback" not in result.err
    for word in words:
        assert word in result.err, (word, result.err)


# --- outputs over the register -------------------------------------------------------------------


def _the_register(tmp_path, register, suffix):
    return register, ["demo.oohdesk", "the register itself"]


def _dot_slash(tmp_path, register, suffix):
    return f"./{register.name}", ["demo.oohdesk", "the register itself"]


def _symlink(tmp_path, register, suffix):
    # Named as the output would be, so only following the link shows what it is.
    link = tmp_path / f"register link{suffix}"
    link.symlink_to(register)
    return link, [link.name, "the register itself"]


def _wal(tmp_path, register, suffix):
    return tmp_path / f"{register.name}-wal", ["demo.oohdesk-wal", "working file"]


def _backup(tmp_path, register, suffix):
    backup = tmp_path / "demo.v3-backup-20171109-120000.oohdesk"
    shutil.copy(register, backup)
    return backup, [backup.name, "backup copy"]


def _other_register(tmp_path, register, suffix):
    # Another programme's register, renamed as the output would be named.
    other = tmp_path / f"other programme{suffix}"
    shutil.copy(register, other)
    return other, [other.name, "an OOH Desk register"]


def _wrong_suffix(tmp_path, register, suffix):
    return None, []  # filled in by the test: the command's own wrong suffix


CASES = {"the register": _the_register, "./register": _dot_slash, "a symlink to it": _symlink,
         "its -wal": _wal, "a backup copy": _backup, "another register": _other_register,
         "a wrong suffix": _wrong_suffix}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_an_output_never_replaces_the_register_and_has_its_own_suffix(cli, demo_copy, tmp_path,
                                                                      monkeypatch, command,
                                                                      case):
    _before, _option, suffix, wrong = COMMANDS[command]
    output, words = CASES[case](tmp_path, demo_copy, suffix)
    if case == "a wrong suffix":
        output = tmp_path / f"Board Output{wrong}"
        words = ["Board Output" + wrong, f"ending {suffix}"]
    monkeypatch.chdir(tmp_path)
    folder = _folder(tmp_path)
    result = cli(*_args(command, demo_copy, output))
    _refused(result, *words)
    # The register, the other files and the symlink are as they were; nothing stray is left.
    assert _folder(tmp_path) == folder


def test_the_private_pack_is_refused_the_public_packs_file(cli, demo_copy, tmp_path,
                                                         monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = _folder(tmp_path)
    for public, private in (("pack.pdf", "pack.pdf"), ("pack.pdf", "./pack.pdf"),
                            (str(tmp_path / "pack.pdf"), "pack.pdf")):
        result = cli("pack", demo_copy, "--meeting", MEETING, "-o", public,
                     "--private-out", private)
        _refused(result, "private pack to pack.pdf", "public pack")
        assert _folder(tmp_path) == folder
    # An existing file reached by a second name (a symlink) is the same file.
    (tmp_path / "pack.pdf").write_bytes(b"last month's pack")
    (tmp_path / "private.pdf").symlink_to(tmp_path / "pack.pdf")
    folder = _folder(tmp_path)
    result = cli("pack", demo_copy, "--meeting", MEETING, "-o", "pack.pdf",
                 "--private-out", "private.pdf")
    _refused(result, "private.pdf", "public pack")
    assert _folder(tmp_path) == folder


def test_minutes_refuse_the_register_before_recording_anything(cli, demo_copy, tmp_path):
    sheet = tmp_path / "record.csv"
    with open(sheet, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["section", "item_no", "name", "organisation", "text", "owner", "due"])
        writer.writerow(["minute", "5", "", "", "A minute that must not be recorded", "", ""])
    folder = _folder(tmp_path)
    result = cli("minutes", demo_copy, "--meeting", MEETING, "--record", sheet,
                 "-o", demo_copy)
    _refused(result, "the register itself")
    assert "Recorded" not in result.out
    assert _folder(tmp_path) == folder


def test_the_app_shows_the_same_refusal(qtbot, edits, reg, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from ooh_desk.gui.views.papers import PapersView

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)  # "Wrote …", were it written
    view = PapersView(edits)
    qtbot.addWidget(view)
    before = reg.path.read_bytes()
    task = view.write_risk_log(reg.path)
    with qtbot.waitSignal(task.finished, timeout=60000) as blocker:
        pass
    assert blocker.args[0] == "failed"
    assert "the register itself" in view.result.text()
    assert view.result.text().startswith("Not written: ")
    assert warnings and "the register itself" in warnings[0]
    assert reg.path.read_bytes() == before


# --- read-only files and folders, long names ------------------------------------------------------


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_read_only_output_is_never_replaced(cli, demo_copy, tmp_path, command):
    output = tmp_path / f"last month{COMMANDS[command][2]}"
    output.write_bytes(b"last month's file, kept on purpose")
    output.chmod(0o444)
    folder = _folder(tmp_path)
    result = cli(*_args(command, demo_copy, output))
    _refused(result, output.name, "read-only")
    assert _folder(tmp_path) == folder
    assert stat.S_IMODE(output.stat().st_mode) == 0o444


@pytest.mark.parametrize("code", [errno.EACCES, errno.EROFS])
def test_a_folder_that_cannot_be_written_into_is_one_plain_line(cli, demo_copy, tmp_path,
                                                                monkeypatch, code):
    """Root ignores permission bits (and CI runs as root), so the refusal the file system
    gives is simulated where the file is created."""
    out = tmp_path / "out"
    out.mkdir()
    real_open = os.open

    def refusing_open(path, *args, **kwargs):
        if os.path.dirname(os.fspath(path)) == str(out):
            raise OSError(code, os.strerror(code), os.fspath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)
    before = demo_copy.read_bytes()
    result = cli("report", demo_copy, "-o", out / "report.docx")
    _refused(result, f"write into the folder {out}")
    assert "read-only" in result.err or "permission" in result.err
    assert "a read-only file" not in result.err
    assert list(out.iterdir()) == []
    assert demo_copy.read_bytes() == before


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root writes into a read-only folder; the test above simulates it")
def test_a_read_only_folder_is_one_plain_line(cli, demo_copy, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    try:
        result = cli("report", demo_copy, "-o", out / "report.docx")
    finally:
        out.chmod(0o755)
    _refused(result, f"write into the folder {out}")
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("command", ["report", "json", "pack"])
def test_a_name_too_long_for_the_disk_is_one_plain_line(cli, demo_copy, tmp_path, command):
    output = tmp_path / ("a" * 300 + COMMANDS[command][2])
    folder = _folder(tmp_path)
    result = cli(*_args(command, demo_copy, output))
    _refused(result, "too long", "aaaa")
    assert _folder(tmp_path) == folder


@pytest.mark.parametrize("command", ["report", "json", "risk-log", "pack", "minutes"])
def test_a_name_at_the_disks_limit_is_written(cli, demo_copy, tmp_path, command):
    suffix = COMMANDS[command][2]
    output = tmp_path / ("a" * (255 - len(suffix)) + suffix)
    result = cli(*_args(command, demo_copy, output))
    assert result.code == 0, result.err
    assert output.stat().st_size > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["demo.oohdesk", output.name])


# --- permissions -------------------------------------------------------------------------------


@pytest.fixture
def umask_027():
    old = os.umask(0o027)
    yield 0o640
    os.umask(old)


# (A pack was always written with open(), so under the umask; it keeps a replaced file's
# permissions, below.)
@pytest.mark.parametrize("command", ["report", "risk-log", "json", "minutes"])
def test_an_output_has_the_users_normal_permissions(cli, demo_copy, tmp_path, umask_027,
                                                    command):
    output = tmp_path / f"new{COMMANDS[command][2]}"
    result = cli(*_args(command, demo_copy, output))
    assert result.code == 0, result.err
    assert stat.S_IMODE(output.stat().st_mode) == umask_027  # as open(path, "w") gives it


@pytest.mark.parametrize("command", ["report", "risk-log", "json", "pack", "minutes"])
def test_a_replaced_output_keeps_its_permissions(cli, demo_copy, tmp_path, umask_027, command):
    output = tmp_path / f"shared{COMMANDS[command][2]}"
    output.write_bytes(b"last month's")
    output.chmod(0o664)  # shared with the team on purpose
    result = cli(*_args(command, demo_copy, output))
    assert result.code == 0, result.err
    assert output.read_bytes() != b"last month's"
    assert stat.S_IMODE(output.stat().st_mode) == 0o664


# --- list shows control characters escaped ------------------------------------------------------


def test_list_shows_control_characters_and_line_breaks_escaped(cli, register, tmp_path):
    title = "Line one\nLine two\tTabbed\x07bell\r\u2028end"
    sheet = tmp_path / "risks.csv"
    with open(sheet, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ref", "title", "owner", "likelihood", "impact"])
        writer.writerow(["R-900", title, "Ann\x1b[31m Owner", "3", "4"])
    assert cli("import", register, sheet, "--kind", "risks").code == 0
    result = cli("list", register, "risks")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert len(lines) == 2, lines  # the heading and one line for the risk
    assert r"Line one\nLine two\tTabbed\x07bell\r\u2028end" in lines[1]
    assert r"[Ann\x1b[31m Owner]" in lines[1]
    assert not any(ch < " " for ch in result.out.replace("\n", ""))
    # --json is unchanged: JSON escapes them already, and gives the text back whole.
    (listed,) = json.loads(cli("list", register, "risks", "--json").out)
    assert listed["title"] == title and listed["owner"] == "Ann\x1b[31m Owner"
