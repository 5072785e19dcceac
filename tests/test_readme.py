"""The README's promises: the two quick-start commands, CI running the same test command,
and the example session working as written."""

import re
import shlex
import shutil
from collections.abc import Iterator
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
    """Word for word, from a copy of the checkout's sample data: the first line activates
    the venv the quick start made (here, the interpreter running the tests)."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "sample_data", tmp_path / "sample_data")
    session = README.split("A short session", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    lines = session.strip().splitlines()
    assert lines[0] == ". .venv/bin/activate"
    for line in lines[1:]:
        args = shlex.split(line)
        assert args[0] == "ooh-desk"
        result = run_cli_process(*args[1:])
        assert result.code == 0, (line, result.err)
        if "--dry-run" in args:
            assert "Would import: 0 new," in result.out and ", 0 refused" in result.out
    assert Path("demo.json").stat().st_size > 1000


def _apt_packages(text: str) -> set[str]:
    words = " ".join(re.findall(r"apt-get install ((?:\\\n|[^\n])*)", text)).replace("\\", " ")
    return {w for w in words.split() if re.fullmatch(r"[a-z0-9][a-z0-9.+-]+", w)}


def test_the_readme_lists_the_debian_packages_ci_installs():
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    listed = set(re.search(r"packages=\((.*?)\)", ci, re.S).group(1).split())
    assert _apt_packages(README) == listed


def test_every_command_is_documented_and_every_documented_command_exists():
    from ooh_desk.cli import build_parser

    parser = build_parser()
    commands = set(parser._subparsers._group_actions[0].choices)
    documented = set(re.findall(r"^ooh-desk (\w[\w-]*)", README, re.M))
    assert documented == commands


def test_every_command_module_is_wired_into_the_parser():
    """A module in commands/ that cli.py does not list would be a command nobody can run;
    one cli.py lists that is missing, or whose command is not the one its name says (cli.py
    finds a command's module from the command line without loading the others), would fail
    to run."""
    from ooh_desk import cli

    modules = {p.stem for p in (ROOT / "ooh_desk" / "commands").glob("*.py")} - {
        "__init__", "common"}
    assert set(cli.COMMANDS) == modules
    assert {m: cli.load_command(m).NAME for m in cli.COMMANDS} == {
        m: cli.command_name(m) for m in cli.COMMANDS}


def _usage_block() -> dict[str, str]:
    """The README's usage block, as the text documenting each command."""
    block = README.split("## The command line", 1)[1].split("```\n", 1)[1].split("```", 1)[0]
    by_command: dict[str, str] = {}
    current = ""
    for line in block.splitlines():
        found = re.match(r"ooh-desk (\w[\w-]*)", line)
        if found:
            current = found.group(1)
        if current:
            by_command[current] = by_command.get(current, "") + "\n" + line
    return by_command


def _options(parser) -> Iterator[tuple[str, list[str]]]:
    import argparse

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                for option, strings in _options(sub):
                    yield f"{name} {option}", strings
        elif action.option_strings and action.dest != "help":
            yield action.dest, action.option_strings


def test_the_usage_block_lists_every_flag_of_every_command():
    from ooh_desk.cli import build_parser

    usage = _usage_block()
    commands = build_parser()._subparsers._group_actions[0].choices
    missing = [f"{name}: {'/'.join(strings)}" for name, sub in commands.items()
               for _, strings in _options(sub)
               if not any(re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", usage.get(name, ""))
                          for s in strings)]
    assert missing == []
