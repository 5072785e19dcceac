"""What goes into the bundle and what is left out, in one place: read by both specs
(ooh-desk.spec, qt-floor.spec), by the Qt hooks in packaging/hooks/ and by the tests.

The app imports only QtCore, QtGui and QtWidgets. PyInstaller's own PySide6 hooks would also
bring every plugin of every type those modules can load (embedded-display platforms, a GTK
theme that drags GTK, Cairo and Pango in from the build machine, VNC with QtNetwork), and
every Qt translation; the hooks here keep only what a desktop app on Windows, macOS or a
Linux desktop (X11 or Wayland) loads. Runs at build time only, never in the app."""

from __future__ import annotations

from pathlib import PurePath

# The Qt modules the app imports (gui/ only); every other PySide6 module is excluded.
QT_MODULES_USED = ("QtCore", "QtGui", "QtWidgets")

# PySide6-Essentials' other modules, and the add-ons' in case someone has them installed.
QT_MODULES_EXCLUDED = (
    "QtConcurrent", "QtDBus", "QtDesigner", "QtHelp", "QtLabsStyleKit", "QtNetwork",
    "QtOpenGL", "QtOpenGLWidgets", "QtPrintSupport", "QtQml", "QtQmlFeatures", "QtQuick",
    "QtQuickControls2", "QtQuickTest", "QtQuickWidgets", "QtSql", "QtSvg", "QtSvgWidgets",
    "QtTest", "QtUiTools", "QtXml",
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender",
    "QtAxContainer", "QtBluetooth", "QtCharts", "QtDataVisualization", "QtGraphs",
    "QtGraphsWidgets", "QtHttpServer", "QtLocation", "QtMultimedia", "QtMultimediaWidgets",
    "QtNetworkAuth", "QtNfc", "QtPdf", "QtPdfWidgets", "QtPositioning", "QtQuick3D",
    "QtRemoteObjects", "QtScxml", "QtSensors", "QtSerialBus", "QtSerialPort",
    "QtSpatialAudio", "QtStateMachine", "QtTextToSpeech", "QtWebChannel", "QtWebEngineCore",
    "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets", "QtWebView",
)

# Python packages the app never imports at run time: the test and benchmark tools, Tk, and
# the parts of Pillow (which reportlab needs) for formats and colour management no pack uses.
PYTHON_EXCLUDED = (
    "tkinter", "_tkinter", "PIL._avif", "PIL.AvifImagePlugin", "PIL._webp", "PIL.WebPImagePlugin",
    "PIL._imagingcms", "PIL.ImageCms", "PIL._imagingtk", "PIL.ImageTk", "PIL.ImageQt",
    "PIL.ImageShow",
    # lxml's other faces (python-docx and openpyxl use lxml.etree alone)
    "lxml.objectify", "lxml.html", "lxml.isoschematron",
    # hashlib's OpenSSL build: hashlib falls back to Python's own SHA-2 and MD5. Python's
    # ssl stays (with its OpenSSL, 5 MB): psycopg imports it before libpq starts, so that
    # OpenSSL is set up once, and without it team sync cannot load its driver at all.
    "_hashlib",
    # rapidfuzz's AVX2 builds (5 MB): it falls back to its portable build, and the app only
    # matches a spreadsheet's few dozen headers with it
    "rapidfuzz.fuzz_cpp_avx2", "rapidfuzz.distance.metrics_cpp_avx2",
    # multiprocessing comes in only through asyncio (psycopg's async side, never used) and
    # concurrent.futures' process pool, which nothing starts; in the bundle it would bring
    # PyInstaller's runtime hook, which imports it (and its spawn machinery) on every start.
    # pdb, pydoc and xmlrpc bring pkgutil's runtime hook the same way, and nothing uses them.
    "multiprocessing", "concurrent.futures.process", "pdb", "pydoc", "xmlrpc",
    "pytest", "_pytest", "pytestqt", "hypothesis",
    "tests", "bench", "conftest", "setuptools", "pkg_resources",
    "distutils", "lib2to3", "pydoc_data", "IPython", "numpy",
)


def excluded_modules() -> list[str]:
    return [*PYTHON_EXCLUDED, *(f"PySide6.{m}" for m in QT_MODULES_EXCLUDED)]


# Whole kinds of Qt plugin a desktop app does not load.
DROPPED_PLUGIN_TYPES = frozenset({
    "designer", "egldeviceintegrations", "generic", "geometryloaders", "multimedia",
    "networkinformation", "position", "printsupport", "qmllint", "qmltooling", "renderers",
    "sceneparsers", "sqldrivers", "tls", "vectorimageformats",
    "wayland-graphics-integration-server",
})

# Single plugins left out of the kinds that stay (names without "lib" and the suffix).
DROPPED_PLUGINS = frozenset({
    # platforms for embedded screens and remote frame buffers, not desktops
    "qeglfs", "qlinuxfb", "qvnc", "qvkkhrdisplay", "qminimalegl", "qdirect2d",
    # the GTK theme: GTK, Cairo and Pango from the build machine; the portal theme stays
    "qgtk3",
    # image formats the app never shows (PNG is built in; JPEG, GIF, ICO and SVG stay)
    "qtga", "qwbmp", "qwebp", "qicns", "qpdf", "qtiff",
    # Wayland shells other than the desktop's xdg-shell
    "ivi-shell", "fullscreen-shell-v1", "wl-shell-plugin", "qt-shell",
})


def plugin_name(file_name: str) -> str:
    stem = PurePath(file_name).name.split(".")[0]
    return stem[3:] if stem.startswith("lib") else stem


def keep_plugin(source: str, dest_dir: str) -> bool:
    """Whether a Qt plugin (its file, and the bundle folder it goes to) stays."""
    kind = PurePath(dest_dir.replace("\\", "/")).name
    return kind not in DROPPED_PLUGIN_TYPES and plugin_name(source) not in DROPPED_PLUGINS


def keep_qt_data(dest_dir: str) -> bool:
    """Qt's translations of its own dialogs are left out: the app speaks British English."""
    return "translations" not in PurePath(dest_dir.replace("\\", "/")).parts


# Libraries of the machine's own desktop (Linux) that only the GTK theme needed, in case
# another route brings them: the user's desktop has its own. Qt's libraries are not swept
# here (a Qt module may link one on some platform); build.py fails a build that holds
# QtNetwork, QML or Quick instead.
DROPPED_LIBRARIES = ("libQt6EglFSDeviceIntegration", "libQt6EglFsKmsSupport", "libgtk-3",
                     "libgdk-3", "libatk-1.0", "libatk-bridge", "libcairo", "libpango",
                     "libgdk_pixbuf",
                     # The desktop's own D-Bus client (QtDBus links it): every Linux desktop
                     # has one, built for its own bus and its own init system. Bundled, it
                     # brought the build machine's libsystemd and what that needs (3 MB).
                     "libdbus-1.", "libsystemd.", "libgcrypt.", "libgpg-error.", "liblz4.",
                     "libcap.")


def keep_binary(dest: str) -> bool:
    """A final sweep over every binary in the bundle (the Analysis TOC's destination name)."""
    parts = PurePath(dest.replace("\\", "/")).parts
    if "plugins" in parts:
        i = parts.index("plugins")
        if len(parts) > i + 2 and not keep_plugin(parts[-1], "/".join(parts[:-1])):
            return False
    return not parts[-1].startswith(DROPPED_LIBRARIES)


def keep_data(dest: str) -> bool:
    parts = PurePath(dest.replace("\\", "/")).parts
    if "__pycache__" in parts or dest.endswith((".pyc", ".pyi")):
        return False
    return not ("PySide6" in parts and "translations" in parts)
