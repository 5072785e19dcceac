"""The installable app (issue 16): the desktop entry, icon and .oohdesk file type that
`--install-desktop` puts in the user's own folders (and `--uninstall-desktop` takes away),
`--self-test` run in-process from source, and what the bundle's spec leaves out.

The bundle itself is built and its frozen `--self-test` and `gui --smoke-test` are run by
.ci/run (a build takes minutes, and fails CI when a frozen check fails)."""

from __future__ import annotations

import ast
import configparser
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import ROOT

from ooh_desk.services import desktop

PACKAGING = ROOT / "packaging"
ICONS = ROOT / "resources" / "icons"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the desktop entry is for Linux desktops")


@pytest.fixture
def data_home(tmp_path, monkeypatch):
    home = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def _bundle_contents():
    sys.path.insert(0, str(PACKAGING))
    try:
        import bundle_contents
    finally:
        sys.path.remove(str(PACKAGING))
    return bundle_contents


def _build_script():
    sys.path.insert(0, str(PACKAGING))
    try:
        import build
    finally:
        sys.path.remove(str(PACKAGING))
    return build


def _entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(path.read_text("utf-8"))
    return parser["Desktop Entry"]


def _exec_argv(exec_value: str, file: str) -> list[str]:
    """What a desktop runs for Exec= when a file is double-clicked, read as the Desktop Entry
    spec says: the key file's escapes first, then quoted arguments, then field codes."""
    unescaped, i = [], 0
    while i < len(exec_value):
        c = exec_value[i]
        if c == "\\" and i + 1 < len(exec_value):
            unescaped.append({"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}.get(
                exec_value[i + 1], "\\" + exec_value[i + 1]))
            i += 2
        else:
            unescaped.append(c)
            i += 1
    text = "".join(unescaped)
    args: list[str] = []
    current: list[str] | None = None
    quoted, i = False, 0
    while i < len(text):
        c = text[i]
        if quoted:
            if c == "\\" and text[i + 1] in '"`$\\':
                current.append(text[i + 1])
                i += 1
            elif c == '"':
                quoted = False
            else:
                current.append(c)
        elif c == '"':
            quoted, current = True, current if current is not None else []
        elif c == " ":
            if current is not None:
                args.append("".join(current))
            current = None
        else:
            current = (current or []) + [c]
        i += 1
    if current is not None:
        args.append("".join(current))
    out = []
    for arg in args:
        if arg == "%f":
            out.append(file)
        else:
            out.append(arg.replace("%%", "%"))
    return out


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", data[16:24])


# --- the desktop entry ------------------------------------------------------------------------


@linux_only
def test_install_desktop_adds_the_menu_entry_icons_and_file_type_under_xdg_data_home(
        cli, data_home):
    result = cli("--install-desktop")
    assert result.code == 0, result.err
    assert "applications menu" in result.out

    entry = _entry(data_home / "applications" / "ooh-desk.desktop")
    assert entry["Name"] == "OOH Desk"
    assert entry["Type"] == "Application"
    assert entry["Icon"] == "ooh-desk"
    assert entry["MimeType"] == "application/x-oohdesk;"
    assert entry["Terminal"] == "false"
    assert entry["Exec"].endswith(" gui %f")
    program = _exec_argv(entry["Exec"], "x")[0]
    assert Path(program).is_absolute() and Path(entry["TryExec"]) == Path(program)

    for size in desktop.ICON_SIZES:
        icon = data_home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "ooh-desk.png"
        assert _png_size(icon) == (size, size)
    svg = data_home / "icons" / "hicolor" / "scalable" / "apps" / "ooh-desk.svg"
    assert ElementTree.parse(svg).getroot().tag.endswith("svg")

    mime = ElementTree.parse(data_home / "mime" / "packages" / "ooh-desk.xml").getroot()
    kind = mime.find(f"{MIME_NS}mime-type")
    assert kind.get("type") == "application/x-oohdesk"
    assert kind.find(f"{MIME_NS}glob").get("pattern") == "*.oohdesk"
    assert kind.find(f"{MIME_NS}icon").get("name") == "ooh-desk"


@linux_only
@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-utils is not installed (.ci/run installs it)")
def test_the_desktop_entry_is_valid_and_the_desktop_databases_know_the_file_type(cli, data_home):
    assert cli("--install-desktop").code == 0
    entry = data_home / "applications" / "ooh-desk.desktop"
    check = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True,
                           text=True)
    assert check.returncode == 0 and check.stdout.strip() == "", check.stdout
    # update-desktop-database: the file type opens with our entry
    cache = (data_home / "applications" / "mimeinfo.cache").read_text("utf-8")
    assert "application/x-oohdesk=ooh-desk.desktop;" in cache
    # update-mime-database: *.oohdesk is our type
    assert "application/x-oohdesk:*.oohdesk" in (data_home / "mime" / "globs2").read_text()


@linux_only
def test_double_clicking_a_register_opens_it_in_the_app(data_home, tmp_path):
    """The desktop runs Exec= with %f replaced by the file; our command line must read that
    as `gui REGISTER`, even from folders with spaces, quotes and dollars in their names."""
    from ooh_desk.cli import build_parser

    odd = tmp_path / 'My "Apps" $HOME 100%' / "ooh-desk"
    desktop.install_desktop(command=[str(odd)], run_tools=False)
    entry = _entry(data_home / "applications" / "ooh-desk.desktop")
    register = "/home/officer/Board papers/Out of Hospital.oohdesk"
    argv = _exec_argv(entry["Exec"], register)
    assert argv[0] == str(odd)
    args = build_parser().parse_args(argv[1:])
    assert args.command == "gui" and args.register == register


@linux_only
def test_install_desktop_defaults_to_local_share_in_the_home_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    change = desktop.install_desktop(run_tools=False)
    assert all(p.is_relative_to(tmp_path / ".local" / "share") for p in change.paths)
    monkeypatch.setenv("XDG_DATA_HOME", "relative/path")  # the spec says: ignore it
    assert desktop.data_home() == tmp_path / ".local" / "share"


@linux_only
def test_uninstall_desktop_removes_what_install_wrote_and_nothing_else(cli, data_home):
    assert cli("--install-desktop").code == 0
    other = data_home / "applications" / "someone-else.desktop"
    other.write_text("[Desktop Entry]\nName=Other\n", "utf-8")
    installed = list(desktop.files(data_home).values())

    result = cli("--uninstall-desktop")
    assert result.code == 0, result.err
    assert f"{len(installed)} files removed" in result.out
    assert not any(p.exists() for p in installed)
    assert other.exists()
    again = cli("--uninstall-desktop")
    assert again.code == 0 and "nothing to remove" in again.out


def test_top_level_flags_take_no_command(cli):
    result = cli("--self-test", "demo")
    assert result.code == 2 and "--self-test takes no command" in result.err


# --- the self-test ----------------------------------------------------------------------------


def test_self_test_passes_from_source_and_says_what_a_missing_libreoffice_stops(
        cli, monkeypatch, tmp_path):
    from ooh_desk.exports import office

    monkeypatch.setattr(office, "find_soffice", lambda: None)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = cli("--self-test")
    assert result.code == 0, result.out + result.err
    lines = result.out.splitlines()
    for step in ("create a register", "import a CSV", "write a Word report",
                 "write an Excel risk log", "load the team server's database driver",
                 "keep the demo register in the user's folders"):
        assert any(line.startswith("ok") and step in line for line in lines), step
    pack = next(line for line in lines if "write a PDF agenda pack" in line)
    assert pack.startswith("skipped") and "LibreOffice was not found" in pack
    assert "agenda packs and page previews will not work" in pack
    assert lines[-1] == "Self-test passed: 7 checks, 1 skipped."
    assert list(tmp_path.iterdir()) == []  # its temporary folder is gone


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None,
                    reason="LibreOffice is not installed")
def test_self_test_builds_and_reads_back_a_pdf_pack_with_libreoffice(cli):
    result = cli("--self-test")
    assert result.code == 0, result.out + result.err
    pack = next(line for line in result.out.splitlines() if "write a PDF agenda pack" in line)
    assert pack.startswith("ok") and "pages" in pack
    assert result.out.splitlines()[-1] == "Self-test passed: 8 checks."


def test_self_test_fails_when_team_sync_cannot_load_its_driver(cli, monkeypatch):
    """A bundle once left out a module psycopg imports, and team sync could not start in it:
    the frozen self-test (run by CI on every build) loads the driver as a sync does."""
    from ooh_desk.exports import office

    monkeypatch.setattr(office, "find_soffice", lambda: None)
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the bundle had left it out
    result = cli("--self-test")
    assert result.code == 1
    assert "FAILED  load the team server's database driver: ModuleNotFoundError" in result.out
    assert result.err.strip() == "Self-test failed: load the team server's database driver."


def test_self_test_names_the_driver_and_libpq_it_loaded(cli, monkeypatch):
    from ooh_desk.exports import office

    monkeypatch.setattr(office, "find_soffice", lambda: None)
    line = next(t for t in cli("--self-test").out.splitlines() if "database driver" in t)
    assert re.fullmatch(r"ok +load the team server's database driver: psycopg [\d.]+, "
                        r"libpq \d+\.\d+ \((binary|c|python)\)", line), line


def test_self_test_fails_naming_the_step_and_skips_what_depended_on_it(cli, monkeypatch):
    from ooh_desk.exports import office
    from ooh_desk.services import outputs

    def broken(*_args, **_kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(office, "find_soffice", lambda: None)
    monkeypatch.setattr(outputs, "write_report", broken)
    result = cli("--self-test")
    assert result.code == 1
    assert "FAILED  write a Word report: OSError: No space left on device" in result.out
    assert "FAILED  write a PDF agenda pack: not run: 'write a Word report' failed" in result.out
    assert any(line.startswith("ok") and "write an Excel risk log" in line
               for line in result.out.splitlines())
    assert result.err.strip() == ("Self-test failed: write a Word report; write a PDF agenda "
                                  "pack.")
    assert "Traceback" not in result.out + result.err


def test_self_test_fails_when_the_app_cannot_find_its_own_files(cli, monkeypatch, tmp_path):
    """What a bundle built without its templates would say."""
    from ooh_desk.exports import office, report

    monkeypatch.setattr(office, "find_soffice", lambda: None)
    monkeypatch.setattr(report, "TEMPLATES", tmp_path / "nowhere" / "templates")
    result = cli("--self-test")
    assert result.code == 1
    assert "FAILED  find the app's own files: FileNotFoundError: missing" in result.out
    assert "coventry.docx" in result.out


# --- where the app keeps its things -----------------------------------------------------------


def test_the_demo_register_lives_in_the_users_data_folder_not_beside_the_program(
        tmp_path, monkeypatch):
    from ooh_desk.services.demo import default_demo_path

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    path = default_demo_path()
    if sys.platform.startswith("linux"):
        assert path.is_relative_to(tmp_path / "data")
    assert not path.is_relative_to(Path(sys.executable).parent)
    assert not path.is_relative_to(ROOT)


@pytest.mark.gui
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG folders are Linux's")
def test_settings_and_recent_files_live_in_the_users_config_folder(tmp_path):
    """In a process of its own: other tests point QSettings at their own folders."""
    import os

    script = ("from ooh_desk.gui.app import settings, remember\n"
              "from pathlib import Path\n"
              "remember(Path('demo.oohdesk'))\n"
              "s = settings(); s.sync(); print(s.fileName())\n")
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "HOME": str(tmp_path),
           "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    where = Path(done.stdout.strip())
    assert where.is_relative_to(tmp_path / "config") and where.exists()
    assert "demo.oohdesk" in where.read_text("utf-8")  # the recent files are in it
    assert not where.is_relative_to(Path(sys.executable).parent)
    assert not where.is_relative_to(ROOT)


# --- the bundle's contents --------------------------------------------------------------------


def _qt_modules_the_app_imports() -> set[str]:
    found = set()
    for path in (ROOT / "ooh_desk").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            found |= {n.split(".")[1] for n in names
                      if n.startswith("PySide6.") and n.count(".") >= 1}
    return found


def test_the_bundle_carries_every_qt_module_the_app_imports_and_no_other():
    contents = _bundle_contents()
    used = _qt_modules_the_app_imports()
    assert used <= set(contents.QT_MODULES_USED), (
        f"the app now imports {sorted(used - set(contents.QT_MODULES_USED))}: add it to "
        "QT_MODULES_USED in packaging/bundle_contents.py")
    excluded = contents.excluded_modules()
    assert not {f"PySide6.{m}" for m in contents.QT_MODULES_USED} & set(excluded)
    for unwanted in ("QtQml", "QtQuick", "QtWebEngineCore", "QtMultimedia", "Qt3DCore",
                     "QtNetwork", "QtPdf"):
        assert f"PySide6.{unwanted}" in excluded
    for tooling in ("pytest", "hypothesis", "pytestqt", "tests", "bench", "tkinter"):
        assert tooling in excluded


@pytest.mark.parametrize(("plugin", "folder", "kept"), [
    ("libqxcb.so", "PySide6/Qt/plugins/platforms", True),
    ("libqwayland.so", "PySide6/Qt/plugins/platforms", True),
    ("libqoffscreen.so", "PySide6/Qt/plugins/platforms", True),
    ("qwindows.dll", "PySide6\\plugins\\platforms", True),
    ("libqcocoa.dylib", "PySide6/Qt/plugins/platforms", True),
    ("libqxdgdesktopportal.so", "PySide6/Qt/plugins/platformthemes", True),
    ("libibusplatforminputcontextplugin.so", "PySide6/Qt/plugins/platforminputcontexts", True),
    ("libqjpeg.so", "PySide6/Qt/plugins/imageformats", True),
    ("libxdg-shell.so", "PySide6/Qt/plugins/wayland-shell-integration", True),
    ("libqeglfs.so", "PySide6/Qt/plugins/platforms", False),
    ("libqvnc.so", "PySide6/Qt/plugins/platforms", False),
    ("libqgtk3.so", "PySide6/Qt/plugins/platformthemes", False),
    ("libqevdevmouseplugin.so", "PySide6/Qt/plugins/generic", False),
    ("libqsqlite.so", "PySide6/Qt/plugins/sqldrivers", False),
    ("libqopensslbackend.so", "PySide6/Qt/plugins/tls", False),
    ("libqwebp.so", "PySide6/Qt/plugins/imageformats", False),
])
def test_only_the_qt_plugins_a_desktop_loads_are_kept(plugin, folder, kept):
    contents = _bundle_contents()
    assert contents.keep_plugin(f"/site/{plugin}", folder) is kept
    assert contents.keep_binary(f"{folder}/{plugin}".replace("\\", "/")) is kept


def test_qt_translations_test_files_and_bytecode_caches_stay_out():
    contents = _bundle_contents()
    assert not contents.keep_qt_data("PySide6/Qt/translations")
    assert contents.keep_data("resources/templates/durham.docx")
    assert contents.keep_data("sample_data/risks.csv")
    assert not contents.keep_data("PySide6/Qt/translations/qtbase_de.qm")
    assert not contents.keep_data("sample_data/__pycache__/make_documents.cpython-311.pyc")
    assert not contents.keep_binary("libgtk-3.so.0")
    assert not contents.keep_binary("libQt6EglFSDeviceIntegration.so.6")
    assert contents.keep_binary("PySide6/Qt/lib/libQt6Widgets.so.6")
    assert not contents.keep_binary("libdbus-1.so.3") and not contents.keep_binary("libsystemd.so.0")
    assert contents.keep_binary("libzstd.so.1")  # Qt's own libraries need it too


def test_the_spec_bundles_templates_sample_data_and_icons_and_uses_the_trimmed_hooks():
    spec = (PACKAGING / "ooh-desk.spec").read_text("utf-8")
    for source in ('"resources" / "templates"', "ICONS", '"sample_data"'):
        assert source in spec
    assert "excludes=excluded_modules()" in spec and 'hookspath=[str(PACKAGING / "hooks")]' in spec
    assert "tests" not in spec.split("datas=[", 1)[1].split("]", 1)[0]
    assert "bench" not in spec
    hooks = {p.name for p in (PACKAGING / "hooks").glob("hook-*.py")}
    assert {f"hook-PySide6.{m}.py" for m in _bundle_contents().QT_MODULES_USED} <= hooks


def test_the_build_measures_a_bundle_and_finds_what_should_not_be_in_it(tmp_path):
    build = _build_script()
    folder = tmp_path / "ooh-desk"
    (folder / "_internal" / "PySide6" / "Qt" / "lib").mkdir(parents=True)
    (folder / "ooh-desk").write_bytes(b"x" * 1000)
    lib = folder / "_internal" / "PySide6" / "Qt" / "lib" / "libQt6Core.so.6"
    lib.write_bytes(b"y" * 5000)
    (folder / "_internal" / "libQt6Core.so.6").symlink_to(lib)
    assert 6000 <= build.unpacked_size(folder) < 6200  # the link counted as a link
    assert build.forbidden_files(folder) == []
    (folder / "_internal" / "PySide6" / "Qt" / "lib" / "libQt6Qml.so.6").write_bytes(b"")
    (folder / "_internal" / "tests").mkdir()
    (folder / "_internal" / "tests" / "test_x.py").write_text("")
    assert build.forbidden_files(folder) == ["_internal/PySide6/Qt/lib/libQt6Qml.so.6",
                                             "_internal/tests/test_x.py"]
    packed = build.archive(folder, tmp_path / "ooh-desk-0.1.0-linux-x86_64")
    assert packed.name == "ooh-desk-0.1.0-linux-x86_64.tar.gz"
    import tarfile

    with tarfile.open(packed) as tf:
        names = tf.getnames()
        assert "ooh-desk/ooh-desk" in names
        assert tf.getmember("ooh-desk/_internal/libQt6Core.so.6").issym()


def test_the_archive_is_named_for_the_version_and_platform():
    build = _build_script()
    from ooh_desk import __version__

    assert build.version() == __version__
    if sys.platform.startswith("linux") and build.platform.machine() == "x86_64":
        assert build.platform_tag() == "linux-x86_64"


# --- the icon ---------------------------------------------------------------------------------


def test_the_icon_is_an_svg_with_a_png_at_every_size_and_a_windows_ico():
    root = ElementTree.parse(ICONS / "ooh-desk.svg").getroot()
    assert root.get("viewBox") == "0 0 256 256"
    for size in desktop.ICON_SIZES:
        assert _png_size(ICONS / f"ooh-desk-{size}.png") == (size, size)
    ico = (ICONS / "ooh-desk.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1) and count >= 6


# --- the documents ----------------------------------------------------------------------------


def test_the_readme_and_packaging_readme_say_how_to_install():
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Install the app", 1)[1].split("\n## ", 1)[0]
    for words in ("ooh-desk-", "linux-x86_64.tar.gz", "--install-desktop", "--self-test",
                  "--uninstall-desktop", "packaging/README.md"):
        assert words in section, words
    guide = (PACKAGING / "README.md").read_text("utf-8")
    for words in ("python packaging/build.py", "Windows", "macOS", "ooh-desk.iss",
                  "only linux is built here", "--floor"):
        assert words.lower() in guide.lower(), words
    iss = (PACKAGING / "ooh-desk.iss").read_text("utf-8")
    assert "PrivilegesRequired=lowest" in iss and ".oohdesk" in iss
