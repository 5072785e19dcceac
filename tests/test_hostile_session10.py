"""A careless or hostile user against this session's new verbs: `copy`, `merge`, `resolve`,
`list conflicts`, import profiles and value readings, `--install-desktop`. Each answer is one
plain-English line, exit 1, no traceback, and the register byte for byte as it was."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
from pathlib import Path

import pytest
from conftest import write_csv

from ooh_desk.services.merge import copy_register
from ooh_desk.store import Register, records

RISKS = "Ref,Risk,Owner,L,I\nR-001,Beds are not commissioned in time,Ann,2,3\n"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(result, register: Path, before: str) -> str:
    """The one line a refusal says, having checked it is one line and wrote nothing."""
    assert result.code == 1, (result.out, result.err)
    assert "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert len(lines[0]) < 400, lines[0][:500]
    assert digest(register) == before
    return lines[0]


@pytest.fixture
def config(tmp_path, monkeypatch):
    folder = tmp_path / "config"
    monkeypatch.setenv("OOH_DESK_CONFIG_DIR", str(folder))
    return folder


# --- import profiles: a profile that cannot be saved refuses the import before it writes -------


def _corrupt(config: Path) -> None:
    config.mkdir()
    (config / "import-profiles.json").write_text('{"format": 1, "profiles": [', "utf-8")


def _a_folder(config: Path) -> None:
    (config / "import-profiles.json").mkdir(parents=True)


def _settings_a_file(config: Path) -> None:
    config.write_text("not a folder", "utf-8")


@pytest.mark.parametrize(("spoil", "name", "said"), [
    (_corrupt, "Acute trust", "cannot be read"),
    (_a_folder, "Acute trust", "is a folder"),
    (_settings_a_file, "Acute trust", "is a file, not a folder"),
    (None, "p" * 40_000, "at most 60 characters"),
    (None, "Acute\x00trust", "control characters"),
])
def test_a_profile_that_cannot_be_saved_refuses_the_import_before_it_writes(
        cli, register, tmp_path, config, spoil, name, said):
    if spoil:
        spoil(config)
    source = write_csv(tmp_path / "risks.csv", RISKS)
    before = digest(register)
    line = refused(cli("import", register, source, "--save-profile", name), register, before)
    assert said in line
    with Register.open(register, readonly=True) as reg:
        assert records.all_records(reg, "risks") == []


def test_a_profile_name_with_slashes_is_only_a_name(cli, register, tmp_path, config):
    source = write_csv(tmp_path / "risks.csv", RISKS)
    assert cli("import", register, source, "--save-profile", "../trust/a").code == 0
    assert sorted(p.name for p in config.iterdir()) == ["import-profiles.json"]
    again = cli("import", register, source, "--profile", "../TRUST/a", "--dry-run")
    assert again.code == 0, again.err


def test_a_dry_run_that_saves_a_profile_leaves_the_register_as_it_was(cli, register, tmp_path,
                                                                      config):
    # By design a dry run may keep the mapping it tried; the register is still not written.
    source = write_csv(tmp_path / "risks.csv", RISKS)
    before = digest(register)
    result = cli("import", register, source, "--save-profile", "Trial", "--dry-run")
    assert result.code == 0, result.err
    assert digest(register) == before
    assert json.loads((config / "import-profiles.json").read_text("utf-8"))["profiles"]


# --- values: long cells, full-width digits, sheets a CSV does not have ------------------------


@pytest.mark.parametrize("column", ["L", "Review date", "Status", "Ref"])
def test_a_40000_character_cell_is_quoted_short_in_its_refusal(cli, register, tmp_path, column):
    values = {"Ref": "R-001", "Risk": "A title", "L": "2", "I": "3", "Review date": "",
              "Status": "open", column: "x" * 40_000}
    source = write_csv(tmp_path / "long.csv", ",".join(values) + "\n"
                       + ",".join(values.values()) + "\n")
    before = digest(register)
    line = refused(cli("import", register, source, "--kind", "risks"), register, before)
    assert f"column '{column}'" in line and "(40,000 characters)" in line
    dry = cli("import", register, source, "--kind", "risks", "--dry-run")
    assert max(len(line) for line in dry.out.splitlines()) < 400


@pytest.mark.parametrize(("heading", "cell", "said"), [
    ("No.", "\uff11", "is not a ref"),  # a full-width 1 is not the number 1
    ("Ref", "\uff32-\uff10\uff10\uff11", "is not a ref"),  # Ｒ-００１
    ("Ref", "R-\u00b2", "is not a ref"),  # R-²
])
def test_refs_in_other_digits_are_refused_not_read(cli, register, tmp_path, heading, cell, said):
    source = write_csv(tmp_path / "refs.csv", f"{heading},Risk,L,I\n{cell},A title,2,3\n"
                                              f"{cell}2,Another,2,3\n")
    before = digest(register)
    line = refused(cli("import", register, source, "--kind", "risks"), register, before)
    assert said in line and "row 2" in line


def test_a_full_width_serial_number_is_not_read_as_a_date(cli, register, tmp_path):
    source = write_csv(tmp_path / "m.csv", "ref,title,baseline\nM-001,Go live,"
                                           "\uff14\uff13\uff10\uff10\uff10\n")
    before = digest(register)
    line = refused(cli("import", register, source, "--kind", "milestones"), register, before)
    assert "is not a date" in line


def test_a_sheet_named_for_a_csv_is_refused(cli, register, tmp_path):
    source = write_csv(tmp_path / "risks.csv", RISKS)
    before = digest(register)
    line = refused(cli("import", register, source, "--sheet", "Risks"), register, before)
    assert line.startswith("risks.csv is a CSV file, which has no sheets")


def test_all_sheets_on_a_csv_imports_its_one_table(cli, register, tmp_path):
    source = write_csv(tmp_path / "risks.csv", RISKS)
    result = cli("import", register, source, "--all-sheets", "--kind", "risks")
    assert result.code == 0, result.err
    assert "Imported: 1 new" in result.out


# --- copy and merge: OUT and OTHER pointed where they should not be --------------------------


@pytest.fixture
def copies(demo_copy, tmp_path):
    other = copy_register(demo_copy, tmp_path / "other.oohdesk", "Workshop")
    return demo_copy, other


def _link(path: Path) -> Path:
    link = path.with_name("link.oohdesk")
    link.symlink_to(path)
    return link


@pytest.mark.parametrize(("out", "said"), [
    (lambda reg, other: reg, "the register itself"),
    (lambda reg, other: _link(reg), "the register itself"),
    (lambda reg, other: reg.with_name(reg.name + "-journal"), "working files"),
    (lambda reg, other: reg.with_name("demo.v3-backup-20261202.oohdesk"), "backup copy"),
    (lambda reg, other: other, "an OOH Desk register"),
    (lambda reg, other: reg.parent, "it is a folder"),
    (lambda reg, other: reg.parent / "missing" / "x.oohdesk", "does not exist"),
])
def test_copy_refuses_an_out_that_would_replace_something(cli, copies, out, said):
    reg, other = copies
    target = out(reg, other)
    before = digest(reg)
    assert said in refused(cli("copy", reg, target), reg, before)


def _csv(folder: Path) -> Path:
    return write_csv(folder / "risks.csv", RISKS)


def _empty(folder: Path) -> Path:
    (folder / "empty.oohdesk").write_bytes(b"")
    return folder / "empty.oohdesk"


def _folder(folder: Path) -> Path:
    (folder / "a folder.oohdesk").mkdir()
    return folder / "a folder.oohdesk"


@pytest.mark.parametrize(("other", "said"), [
    (lambda reg: reg, "is the register itself"),
    (lambda reg: _link(reg), "is the register itself"),
    (lambda reg: _csv(reg.parent), "not an OOH Desk register"),
    (lambda reg: _empty(reg.parent), "is empty"),
    (lambda reg: _folder(reg.parent), "is not a register file"),
    (lambda reg: reg.parent / "nowhere.oohdesk", "There is no register"),
    (lambda reg: reg.with_name(reg.name + "-journal"), "There is no register"),
])
def test_merge_refuses_what_is_not_another_copy(cli, copies, other, said):
    reg, _ = copies
    before = digest(reg)
    assert said in refused(cli("merge", reg, other(reg)), reg, before)


def test_a_copy_made_while_another_program_writes_is_whole_or_not_made(cli, copies, tmp_path):
    reg, _ = copies
    holder = sqlite3.connect(reg, isolation_level=None)
    try:
        holder.execute("begin immediate")  # another program part way through a write
        made = cli("copy", reg, tmp_path / "during.oohdesk")
        assert made.code == 0, made.err
        with Register.open(tmp_path / "during.oohdesk", readonly=True) as copy:
            assert len(records.all_records(copy, "risks")) == 20
        holder.execute("commit")
        holder.execute("begin exclusive")  # and one that shuts readers out too
        before = digest(reg)
        line = refused(cli("copy", reg, tmp_path / "blocked.oohdesk", "--for", "Ann"), reg,
                       before)
        assert "in use by another program" in line
        assert not (tmp_path / "blocked.oohdesk").exists()
    finally:
        holder.close()


# --- resolve: refs as typed, and refs that are not one ----------------------------------------


@pytest.fixture
def one_conflict(copies, cli, tmp_path):
    reg, other = copies
    for path, title in ((reg, "Ours"), (other, "Theirs")):
        source = write_csv(tmp_path / f"{title}.csv", f"ref,title\nR-001,{title}\n")
        assert cli("import", path, source).code == 0
    assert cli("merge", reg, other).code == 0
    return reg


def test_resolve_reads_a_conflict_ref_as_it_is_typed(cli, one_conflict):
    result = cli("resolve", one_conflict, " c1 ", "--take", "theirs")
    assert result.code == 0, result.err
    assert result.out.startswith("Settled C-001 (risks R-001 title): took theirs")


@pytest.mark.parametrize(("ref", "said"), [
    ("", "Name the conflict to settle by its ref, such as C-001"),
    ("C-" + "9" * 5000, "'C-999999999999999999'… (5,002 characters) is not a conflict's ref"),
    ("'; drop table risks;--", "is not a conflict's ref"),
    ("\uff23-\uff10\uff10\uff11", "is not a conflict's ref"),  # Ｃ-００１
    ("C-999", "There is no conflict C-999 in demo.oohdesk"),
])
def test_resolve_refuses_a_ref_that_names_no_conflict(cli, one_conflict, ref, said):
    before = digest(one_conflict)
    assert said in refused(cli("resolve", one_conflict, ref, "--take", "ours"), one_conflict,
                           before)


def test_resolve_refuses_a_settled_conflict_and_an_absurd_take(cli, one_conflict):
    assert cli("resolve", one_conflict, "c-001", "--take", "ours").code == 0
    before = digest(one_conflict)
    line = refused(cli("resolve", one_conflict, "C-001", "--take", "theirs"), one_conflict,
                   before)
    assert line == "C-001 was settled already (took ours)"
    absurd = cli("resolve", one_conflict, "C-001", "--take", "both")
    assert absurd.code == 2 and "invalid choice" in absurd.err
    assert digest(one_conflict) == before


def test_list_counts_one_conflict_in_the_singular(cli, one_conflict):
    result = cli("list", one_conflict, "conflicts")
    assert result.code == 0, result.err
    assert result.out.startswith("1 conflict as at ")


# --- the desktop entry: XDG_DATA_HOME where no folder can be made ------------------------------


linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the desktop entry is for Linux desktops")


@linux_only
@pytest.mark.parametrize("blocked", [".", "icons"])
def test_install_desktop_where_a_file_stands_for_a_folder_writes_nothing(
        cli, tmp_path, monkeypatch, blocked):
    home = tmp_path / "data"
    if blocked == ".":
        home.write_text("a file", "utf-8")
    else:
        home.mkdir()
        (home / blocked).write_text("a file", "utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    result = cli("--install-desktop")
    assert result.code == 1 and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert "is a file, not a folder; nothing was added to your menu" in result.err
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written == [home if blocked == "." else home / blocked]


@pytest.mark.parametrize(("for_name", "said"), [
    ("a" * 40_000, "at most 60 characters"),
    ("Ann\x1b[31m", "cannot hold control characters"),
])
def test_copy_refuses_a_for_name_no_list_could_show(cli, copies, tmp_path, for_name, said):
    reg, _ = copies
    before = digest(reg)
    out = tmp_path / "named.oohdesk"
    assert said in refused(cli("copy", reg, out, "--for", for_name), reg, before)
    assert not out.exists()


# --- what the user typed on the command line, quoted short --------------------------------------


@pytest.mark.parametrize("args", [
    ("--profile", "p" * 40_000),
    ("--sheet", "p" * 40_000),
    ("--map", "Risk=" + "p" * 40_000),
    ("--map", "p" * 40_000),
])
def test_a_40000_character_argument_is_quoted_short(cli, register, tmp_path, config, args):
    source = write_csv(tmp_path / "risks.csv", RISKS)
    before = digest(register)
    line = refused(cli("import", register, source, *args), register, before)
    assert "(40,000 characters)" in line


def _fifo(path: Path) -> Path:
    """A named pipe. A writer waits on it, so code that does read it (the old code did)
    meets its end and the test fails rather than hangs; it is never opened otherwise."""
    import os
    import threading

    os.mkfifo(path)
    threading.Thread(target=lambda: open(path, "wb").close(), daemon=True).start()
    return path


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize(("make", "name", "said"), [
    (lambda p: p.mkdir(), "risks.csv", "it is a folder, not a file"),
    (_fifo, "risks.csv", "not an ordinary file"),  # reading it would never end
    (_fifo, "register.json", "not an ordinary file"),
])
def test_a_file_to_import_that_is_a_folder_or_a_pipe_is_refused(cli, register, tmp_path, make,
                                                                name, said):
    make(tmp_path / name)
    before = digest(register)
    line = refused(cli("import", register, tmp_path / name), register, before)
    assert line.startswith(f"Cannot import {name}: ") and said in line
