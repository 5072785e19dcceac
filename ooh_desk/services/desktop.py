"""`ooh-desk --install-desktop` / `--uninstall-desktop` (Linux): put OOH Desk in the user's
application menu, with its icon, and make double-clicking a .oohdesk register open it — all
under the user's own XDG data folder ($XDG_DATA_HOME, else ~/.local/share), so no
administrator rights are needed. Windows and macOS do this through their installer and app
bundle instead (packaging/). Imports no Qt."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserError

APP_ID = "ooh-desk"
MIME_TYPE = "application/x-oohdesk"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
# Beside the package in a checkout, and in the bundle's folder when frozen (packaging/).
ICONS = Path(__file__).resolve().parents[2] / "resources" / "icons"


@dataclass
class DesktopChange:
    """What --install-desktop wrote (or --uninstall-desktop removed), and anything the user
    should know (a desktop database tool that was not there to run)."""

    paths: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def data_home() -> Path:
    """The XDG base directory spec: $XDG_DATA_HOME when set to an absolute path."""
    configured = os.environ.get("XDG_DATA_HOME", "")
    if configured and Path(configured).is_absolute():
        return Path(configured)
    return Path.home() / ".local" / "share"


def launch_command() -> list[str]:
    """How the desktop starts this very installation: the bundle's own executable when frozen,
    else the `ooh-desk` script beside this Python (a venv), else this Python running the CLI."""
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).resolve())]
    script = Path(sys.executable).with_name("ooh-desk")
    if script.exists():
        return [str(script.absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "ooh_desk.cli"]


def files(home: Path) -> dict[str, Path]:
    """Every file this installs, by what it is."""
    found = {"desktop entry": home / "applications" / f"{APP_ID}.desktop",
             "file type": home / "mime" / "packages" / f"{APP_ID}.xml",
             "scalable icon": home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"}
    for size in ICON_SIZES:
        found[f"{size}px icon"] = home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / \
            f"{APP_ID}.png"
    return found


def _exec_quote(argument: str) -> str:
    """An Exec= argument as the Desktop Entry spec wants it: quoted when it holds a reserved
    character, with ", `, $ and \\ escaped inside the quotes (and % doubled everywhere)."""
    argument = argument.replace("%", "%%")
    if not any(c in argument for c in ' \t\n"\'\\><~|&;$*?#()`'):
        return argument
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
    return f'"{escaped}"'.replace("\\", "\\\\")  # then the key file's own escaping


def desktop_entry(command: list[str]) -> str:
    program = " ".join(_exec_quote(a) for a in command)
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",
        "Name=OOH Desk",
        "GenericName=Programme register",
        "Comment=Keep a programme's risks, milestones, feedback and actions, and write its "
        "board papers",
        f"TryExec={command[0]}",
        f"Exec={program} gui %f",
        f"Icon={APP_ID}",
        "Terminal=false",
        "Categories=Office;ProjectManagement;",
        f"MimeType={MIME_TYPE};",
        "Keywords=risk;register;milestone;board;committee;agenda;minutes;",
        f"StartupWMClass={APP_ID}",
        "",
    ])


def mime_package() -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">
  <mime-type type="{MIME_TYPE}">
    <comment>OOH Desk register</comment>
    <comment xml:lang="en_GB">OOH Desk register</comment>
    <sub-class-of type="application/vnd.sqlite3"/>
    <icon name="{APP_ID}"/>
    <glob pattern="*.oohdesk"/>
  </mime-type>
</mime-info>
"""


def install_desktop(home: Path | None = None, command: list[str] | None = None,
                    run_tools: bool = True) -> DesktopChange:
    import shutil  # here, not at the top: the app imports this module for its icon at start

    _linux_only("--install-desktop")
    home = home or data_home()
    command = command or launch_command()
    targets = files(home)
    sources = {"scalable icon": ICONS / f"{APP_ID}.svg"}
    sources.update({f"{s}px icon": ICONS / f"{APP_ID}-{s}.png" for s in ICON_SIZES})
    missing = [str(p) for p in sources.values() if not p.is_file()]
    if missing:
        raise UserError(f"this installation is missing its icons ({missing[0]}); "
                        "unpack the app again")
    for target in targets.values():
        _check_writable(target)
    change = DesktopChange()
    new = [t for t in targets.values() if not t.exists()]
    try:
        for name, target in targets.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            if name == "desktop entry":
                _write(target, desktop_entry(command))
            elif name == "file type":
                _write(target, mime_package())
            else:
                shutil.copyfile(sources[name], target)
            change.paths.append(target)
    except OSError as exc:
        for target in new:  # all or nothing: what this run added goes again
            target.unlink(missing_ok=True)
        raise UserError(f"cannot write {exc.filename or home}: {exc.strerror}; nothing was "
                        "added to your menu") from None
    if run_tools:
        change.notes = _refresh(home)
    return change


def uninstall_desktop(home: Path | None = None, run_tools: bool = True) -> DesktopChange:
    _linux_only("--uninstall-desktop")
    home = home or data_home()
    change = DesktopChange()
    for target in files(home).values():
        try:
            target.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise UserError(f"cannot remove {target}: {exc.strerror}") from None
        change.paths.append(target)
    if run_tools:
        change.notes = _refresh(home)
    return change


def _check_writable(target: Path) -> None:
    """Refuse, before anything is written, a target that is a folder, or whose folder is (or
    would be made under) a file: $XDG_DATA_HOME pointing at a file, say."""
    if target.is_dir():
        raise UserError(f"cannot write {target}: it is a folder; nothing was added to your "
                        "menu")
    for place in target.parents:
        if place.exists():
            if not place.is_dir():
                raise UserError(f"cannot write {target}: {place} is a file, not a folder; "
                                "nothing was added to your menu")
            return


def _write(path: Path, text: str) -> None:
    temp = path.with_name(path.name + ".tmp")
    temp.write_text(text, "utf-8")
    temp.replace(path)


def _linux_only(flag: str) -> None:
    if not sys.platform.startswith("linux"):
        raise UserError(f"{flag} is for Linux desktops; on Windows the installer adds OOH Desk "
                        "to the Start menu, and on macOS drag OOH Desk.app into Applications")


# The desktop's caches of menus, file types and icons, rebuilt for the user's own folders.
TOOLS = (("update-mime-database", "mime", "double-clicking a register may open it only after "
          "you log in again"),
         ("update-desktop-database", "applications", "the menu may show the change only after "
          "you log in again"),
         ("gtk-update-icon-cache", "icons/hicolor", "the icon may show only after you log in "
          "again"))


def _refresh(home: Path) -> list[str]:
    import shutil
    import subprocess

    from ..exports.office import clean_environment  # the one place a clean environment is made

    notes = []
    for tool, folder, otherwise in TOOLS:
        found = shutil.which(tool)
        target = home / folder
        if not target.is_dir():
            continue
        if found is None:
            notes.append(f"{tool} was not found: {otherwise}")
            continue
        args = [found, "-f", "-t", "-q", str(target)] if tool == "gtk-update-icon-cache" \
            else [found, str(target)]
        try:
            subprocess.run(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, env=clean_environment(), timeout=120,
                           check=True)
        except (OSError, subprocess.SubprocessError):
            notes.append(f"{tool} did not finish: {otherwise}")
    return notes
