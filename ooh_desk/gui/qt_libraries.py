"""Whether Qt's Linux platform plugins can load, asked before any QApplication exists: when
the X11 (xcb) plugin lacks a system library, or DISPLAY names no X server, Qt aborts the
whole process with "Reinstalling the application may fix this problem", which names nothing
a user can act on. Imports no Qt (PySide6 is found on disc, not imported), so the command
line can ask first and say which library is missing and the Debian package that provides
it."""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import threading
from collections.abc import Callable
from pathlib import Path

# Each platform plugin's file in PySide6/Qt/plugins/platforms, and the system libraries it
# loads, for when `ldd` is not there to ask (a slim container, some distributions).
PLUGINS = {"xcb": ("libqxcb.so",), "wayland": ("libqwayland.so", "libqwayland-generic.so")}
NEEDS = {
    "xcb": ("libGL.so.1", "libxkbcommon.so.0", "libxkbcommon-x11.so.0", "libxcb-cursor.so.0",
            "libxcb-icccm.so.4", "libxcb-util.so.1", "libxcb-image.so.0", "libxcb-keysyms.so.1",
            "libxcb-randr.so.0", "libxcb-render-util.so.0", "libxcb-shm.so.0",
            "libxcb-sync.so.1", "libxcb-xfixes.so.0", "libxcb-render.so.0",
            "libxcb-shape.so.0", "libxcb-xkb.so.1", "libxcb.so.1", "libX11-xcb.so.1",
            "libX11.so.6", "libglib-2.0.so.0", "libgthread-2.0.so.0"),
    "wayland": ("libwayland-client.so.0", "libwayland-cursor.so.0", "libGL.so.1",
                "libxkbcommon.so.0"),
}
# Debian names a library's package after its soname (libxcb-cursor.so.0 -> libxcb-cursor0,
# libxkbcommon-x11.so.0 -> libxkbcommon-x11-0); these are the exceptions.
_PACKAGES = {"libglib-2.0.so.0": "libglib2.0-0", "libgthread-2.0.so.0": "libglib2.0-0",
             "libgobject-2.0.so.0": "libglib2.0-0", "libgio-2.0.so.0": "libglib2.0-0",
             "libGL.so.1": "libgl1", "libGLX.so.0": "libglx0", "libOpenGL.so.0": "libopengl0"}
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.M)


def plugin(platform: str) -> Path | None:
    """The platform plugin's file in the installed PySide6, or None when it is not there
    (then Qt speaks for itself)."""
    spec = importlib.util.find_spec("PySide6")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for name in PLUGINS[platform]:
            path = Path(folder) / "Qt" / "plugins" / "platforms" / name
            if path.exists():
                return path
    return None


def missing(platform: str) -> list[str] | None:
    """The system libraries the platform plugin needs and cannot find, in the order the
    loader would want them; None when the plugin itself is not installed."""
    path = plugin(platform)
    if path is None:
        return None
    # One `ldd` (a shell and the loader, ~15 ms at every X11 start): it lists what the plugin
    # needs through Qt's own libQt6XcbQpa too, so that library needs no call of its own.
    said = _ldd(path)
    if said is not None:
        return list(dict.fromkeys(_NOT_FOUND.findall(said)))
    return [name for name in NEEDS[platform] if not _loadable(name)]


def _ldd(path: Path) -> str | None:
    """What `ldd` says of a library, or None when it cannot be asked."""
    # Here, not at the top: only an X11 start asks, and every start imports this module.
    import shutil
    import subprocess

    ldd = shutil.which("ldd")
    if ldd is None:
        return None
    try:
        return subprocess.run([ldd, str(path)], capture_output=True, text=True,
                              timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None


def _loadable(name: str) -> bool:
    import ctypes

    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def _display_answers(display: str) -> bool | None:
    """Whether an X server answers at `display`, asked through libxcb as Qt will ask it;
    None when libxcb cannot be loaded."""
    import ctypes

    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return None
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)  # never NULL: an error object
    try:
        return xcb.xcb_connection_has_error(connection) == 0
    finally:
        xcb.xcb_disconnect(connection)


def package(library: str) -> str:
    """The Debian or Ubuntu package that provides a library, from its soname."""
    if library in _PACKAGES:
        return _PACKAGES[library]
    match = re.match(r"^(.*)\.so\.(\d+)$", library)
    if not match:
        return library
    stem, version = match.group(1).lower(), match.group(2)
    return f"{stem}-{version}" if stem[-1].isdigit() else f"{stem}{version}"


def problem() -> str | None:
    """Why the desktop app cannot open a window on this Linux desktop, in one line; None
    when it can (or when this is not the case to check). When X11's libraries are missing
    but a Wayland session's plugin loads, Qt is pointed at Wayland instead."""
    chosen = os.environ.get("QT_QPA_PLATFORM", "")
    if not sys.platform.startswith("linux") or chosen not in ("", "xcb"):
        return None
    if not chosen and not os.environ.get("DISPLAY"):
        return None  # no X11: Qt uses Wayland, or the caller has said there is no screen
    lacking = missing("xcb")
    display = os.environ.get("DISPLAY", "")
    if not lacking and (not display or _display_answers(display) is not False):
        return None
    if not chosen and os.environ.get("WAYLAND_DISPLAY") and missing("wayland") == []:
        os.environ["QT_QPA_PLATFORM"] = "wayland"  # read when the QApplication is made
        return None
    if not lacking:  # Qt would abort with the same words, blaming a library
        return (f"the desktop app cannot open a window: no X display answers at "
                f"DISPLAY={display}; run it from a desktop session, or use the command "
                "line, e.g. 'ooh-desk list REGISTER risks'")
    names = " and ".join([", ".join(lacking[:-1]), lacking[-1]] if len(lacking) > 1
                         else lacking)
    packages = " ".join(dict.fromkeys(package(name) for name in lacking))
    return (f"the desktop app cannot open a window: Qt's X11 (xcb) platform needs {names}, "
            f"which {'is' if len(lacking) == 1 else 'are'} not installed; on Debian or "
            f"Ubuntu: sudo apt-get install {packages}")


def problem_in_background() -> Callable[[], str | None]:
    """`problem()`, asked on a thread of its own so that `ldd` runs (on another core) while the
    caller loads Qt's modules, which opens no window; the function returned waits for the
    answer, and must be called before any QApplication is made."""
    answer: list[str | None] = []
    failure: list[BaseException] = []

    def ask() -> None:
        try:
            answer.append(problem())
        except BaseException as exc:  # said in the caller's thread, as if asked there
            failure.append(exc)

    thread = threading.Thread(target=ask, name="qt-libraries-check", daemon=True)
    thread.start()

    def wait() -> str | None:
        thread.join()
        if failure:
            raise failure[0]
        return answer[0]

    return wait
