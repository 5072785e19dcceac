"""The errors a user can act on, and writing output files whole or not at all.

Every error meant for the user derives from `UserFacing`: its message is one plain-English
line naming where the problem is. The command line turns it into exit status 1; the desktop
app into a dialog. Imports no Qt.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path


class UserFacing(Exception):
    """Something the user must put right; the message says what and where."""


class UserError(UserFacing):
    """A user error raised by a verb (services) or a command: one plain-English line."""


# A message's first word, when it is an ordinary word: letters only (an apostrophe or a
# hyphen between them), not followed by a colon.
_OPENING_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*(?=[\s,;!?)]|$)")


def plain_message(problem: BaseException | str) -> str:
    """An error as the one line a user reads: whitespace folded, and a capital letter when
    it opens with an ordinary word ("the folder …" -> "The folder …"). A message opening with
    a name — a file or path ("phone_list.xlsx: …", "rofile/a.oohdesk …"), a ref ("r-001 …"),
    or anything followed by a colon ("risks: …") — keeps it exactly as typed."""
    text = " ".join(str(problem).split())
    if _OPENING_WORD.match(text):
        return text[:1].upper() + text[1:]
    return text


class OutputError(UserFacing):
    """An output file could not be written; nothing was left behind."""


def check_folder(path: str | os.PathLike) -> Path:
    """Refuse, before any work is done for it, an output path whose folder is missing or
    cannot be written into, whose name is too long for the disk, or that names a folder or a
    read-only file (an administrator could replace it, but the user marked it read-only)."""
    path = Path(path)
    if not path.parent.exists():
        raise OutputError(f"the folder {path.parent} does not exist")
    if not path.parent.is_dir():
        raise OutputError(f"cannot write into {path.parent}: it is a file, not a folder; "
                          "choose a folder to write into")
    limit = _name_limit(path.parent)
    if len(os.fsencode(path.name)) > limit:
        raise _name_too_long(path, limit)
    if path.is_dir():
        raise OutputError(f"cannot write to {path}: it is a folder; give the name of a file "
                          "to write in it")
    if not os.access(path.parent, os.W_OK):
        raise _folder_error(path, errno.EACCES)
    if path.exists() and read_only(path):
        raise OutputError(f"the file {path} is read-only, so it is not replaced; choose another "
                          "file name, or change its permissions")
    return path


def read_only(path: Path) -> bool:
    """True for a file the user may not, or has said they do not want to, write to: the
    write bits count too, since an administrator bypasses the permission check."""
    writable_bits = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    return not os.access(path, os.W_OK) or not path.stat().st_mode & writable_bits


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside `path`; once the block succeeds it replaces `path`.
    On any failure the temporary file is removed and `path` is untouched, so a crash or a
    full disk never leaves half a report where the old one was. The file written has the
    permissions a plain `open(path, "w")` gives (the user's umask), or, replacing a file,
    that file's own."""
    path = check_folder(path)
    try:
        temp = _new_file_beside(path)
    except OSError as exc:
        raise _write_error(path, exc) from None
    try:
        mode = stat.S_IMODE((path if path.is_file() else temp).stat().st_mode)
        yield temp
        os.chmod(temp, mode)  # the writer may have made the file afresh
        os.replace(temp, path)
    except PermissionError:
        raise OutputError(f"cannot write {path}: permission denied (is it open in another "
                          "program?)") from None
    finally:
        temp.unlink(missing_ok=True)


def partial_path(path: Path, tag: str = "") -> Path:
    """The hidden name an output is written under beside `path` until it is whole,
    `.NAME.TAG.partial`, with NAME cut short enough for the disk however long the output's
    name is (the output's own name may use every byte the disk allows)."""
    ending = f".{tag}.partial" if tag else ".partial"
    room = _name_limit(path.parent) - len(os.fsencode(ending)) - 1
    stem = path.name
    while len(os.fsencode(stem)) > room:
        stem = stem[:-1]
    return path.with_name(f".{stem}{ending}")


def _new_file_beside(path: Path) -> Path:
    """A new empty file under a partial_path beside `path`, made with os.open and mode 0o666
    as open() makes a file, so the umask decides its permissions (mkstemp's would be 0600)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        # What secrets.token_hex(4) gives, without loading hashlib and random at every start.
        temp = partial_path(path, os.urandom(4).hex())
        try:
            os.close(os.open(temp, flags, 0o666))
        except FileExistsError:
            continue
        return temp


def _name_limit(folder: Path) -> int:
    """The longest file name, in bytes, the disk holding `folder` takes."""
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (AttributeError, OSError, ValueError):  # Windows has no pathconf
        return 255


def _name_too_long(path: Path, limit: int) -> OutputError:
    size = len(os.fsencode(path.name))
    shown = path.name if len(path.name) <= 40 else f"{path.name[:20]}…{path.name[-12:]}"
    return OutputError(f"the file name {shown} is too long: {size} bytes, where the disk takes "
                       f"at most {limit}; choose a shorter name")


def _folder_error(path: Path, code: int | None) -> OutputError:
    why = ("it is on a read-only disk" if code == errno.EROFS else
           "it is read-only (you do not have permission to write there)")
    return OutputError(f"cannot write into the folder {path.parent}: {why}; choose another "
                       "folder")


def _write_error(path: Path, exc: OSError) -> OutputError:
    """What went wrong making a file beside `path`, in words."""
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _folder_error(path, exc.errno)
    if exc.errno == errno.ENAMETOOLONG:
        limit = _name_limit(path.parent)
        if len(os.fsencode(path.name)) > limit:
            return _name_too_long(path, limit)
        return OutputError(f"cannot write {path}: the whole path is too long for the disk; "
                           "choose a shorter name or a folder nearer the top")
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return OutputError(f"cannot write {path}: the disk is full")
    return OutputError(f"cannot write {path}: {exc.strerror or exc}")
