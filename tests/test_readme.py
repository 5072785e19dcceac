"""The README's promises: the two quick-start commands, CI running the same test command,
and the example session working as written."""

import re
import shlex
from pathlib import Path

from conftest import ROOT, run_cli_process

README = (ROOT / "README.md").read_text("utf-8")


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n#", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, re.S)


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_second():
    commands = quick_start_commands()
    assert len(commands) == 2
    assert commands[0].rstrip().endswith("ooh-desk")
    assert "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert commands[1].strip() in ci


def test_the_example_session_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    session = README.split("A short session:", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    Path("my-risks.csv").write_text("ref,title,likelihood,impact\nR-100,Estates delay,2,3\n")
    for line in session.strip().splitlines():
        args = shlex.split(line)
        assert args[0] == "ooh-desk"
        result = run_cli_process(*args[1:])
        assert result.code == 0, (line, result.err)
    assert Path("demo.json").stat().st_size > 1000


def test_every_command_is_documented_and_every_documented_command_exists():
    from ooh_desk.cli import build_parser

    parser = build_parser()
    commands = set(parser._subparsers._group_actions[0].choices)
    documented = set(re.findall(r"^ooh-desk (\w[\w-]*)", README, re.M))
    assert documented == commands


def test_every_command_module_is_wired_into_the_parser():
    """A module in commands/ that cli.py does not list would be a command nobody can run;
    one cli.py lists that is missing fails the import of cli.py itself."""
    from ooh_desk import cli

    modules = {p.stem for p in (ROOT / "ooh_desk" / "commands").glob("*.py")} - {
        "__init__", "common"}
    assert {c.__name__.rpartition(".")[2] for c in cli.COMMANDS} == modules
