"""PyInstaller's hook for this PySide6 module, with the plugins and translations the app does
not need taken out before PyInstaller looks for their libraries (see bundle_contents.py)."""

from bundle_contents import keep_plugin, keep_qt_data
from PyInstaller.utils.hooks.qt import add_qt6_dependencies

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(source, dest) for source, dest in binaries if keep_plugin(source, dest)]
datas = [(source, dest) for source, dest in datas if keep_qt_data(dest)]
