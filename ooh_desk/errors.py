"""The errors a user can act on, and writing output files whole or not at all.

Every error meant for the user derives from `UserFacing`: its message is one plain-English
line naming where the problem is. The command line turns it into exit status 1; the desktop
app into a dialog. Imports no Qt.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


class UserFacing(Exception):
    """Something the user must put right; the message says what and where."""


class UserError(UserFacing):
    """A user error raised by a verb (services) or a command: one plain-English line."""


def plain_message(problem: BaseException | str) -> str:
    """An error as the one line a user reads: whitespace folded, first letter capital."""
    text = " ".join(str(problem).split())
    return text[:1].upper() + text[1:]


class OutputError(UserFacing):
    """An output file could not be written; nothing was left behind."""


def check_folder(path: str | os.PathLike) -> Path:
    """Refuse an output path whose folder is missing, before any work is done for it."""
    path = Path(path)
    if not path.parent.exists():
        raise OutputError(f"the folder {path.parent} does not exist")
    return path


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside `path`; once the block succeeds it replaces `path`.
    On any failure the temporary file is removed and `path` is untouched, so a crash or a
    full disk never leaves half a report where the old one was."""
    path = check_folder(path)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
        os.replace(temp, path)
    except PermissionError:
        raise OutputError(f"cannot write {path}: permission denied (is it open in another "
                          "program?)") from None
    finally:
        temp.unlink(missing_ok=True)
