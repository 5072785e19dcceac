"""Mapping profiles: how a user chose to read a file's columns, kept for the next file with
the same headings (the app's import wizard offers it first; `import --profile NAME` applies
it). Stored as one JSON file in the user's settings folder. Imports no Qt."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..domain.prose import quoted, short_name
from ..errors import UserError, atomic_output
from .mapping import joined_header, normalise
from .tabular import Grid

# Tests (and a user who keeps settings elsewhere) point this at another folder.
CONFIG_ENV = "OOH_DESK_CONFIG_DIR"
FILE_NAME = "import-profiles.json"
IGNORE = "ignore"
NAME_LIMIT = 60  # characters: a name is for picking from a list, not for keeping notes in
_FORMAT = 1


@dataclass
class Profile:
    name: str
    kind: str
    # Their heading, as the file spells it -> field, or "ignore".
    mapping: dict[str, str] = field(default_factory=dict)
    # Every heading of the file the profile was made for, as the file spells them.
    headings: list[str] = field(default_factory=list)

    def fits(self, headings: Iterable[str]) -> bool:
        """True for a file whose headings are this profile's, whatever their case, spacing
        or order."""
        return heading_key(headings) == heading_key(self.headings)

    def overrides(self) -> dict[str, str]:
        """The mapping as import overrides (`--map` pairs)."""
        return dict(self.mapping)


def heading_key(headings: Iterable[str]) -> frozenset[str]:
    return frozenset(k for h in headings if (k := normalise(h)))


def config_dir(folder: str | os.PathLike | None = None) -> Path:
    """Where profiles live: `folder`, else $OOH_DESK_CONFIG_DIR, else the user's settings
    folder for OOH Desk (as platformdirs names it on Windows, macOS and Linux)."""
    if folder is not None:
        return Path(folder)
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV])
    from platformdirs import user_config_path

    return user_config_path("OOH Desk", appauthor=False)


def profiles_path(folder: str | os.PathLike | None = None) -> Path:
    return config_dir(folder) / FILE_NAME


def load_profiles(folder: str | os.PathLike | None = None) -> list[Profile]:
    """Every saved profile, by name. A missing file is no profiles; a damaged one is said."""
    path = profiles_path(folder)
    if not path.exists():
        return []
    if path.is_dir():
        raise UserError(f"the saved import profiles should be a file, but {path} is a folder; "
                        "move it aside and save the profiles again")
    try:
        data = json.loads(path.read_text("utf-8"))
        return sorted((Profile(p["name"], p["kind"], dict(p.get("mapping", {})),
                               list(p.get("headings", [])))
                       for p in data.get("profiles", [])), key=lambda p: p.name.lower())
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UserError(f"the saved import profiles in {path} cannot be read ({exc}); move the "
                        "file aside and save the profiles again") from None


def save_profile(profile: Profile, folder: str | os.PathLike | None = None) -> Path:
    """Add `profile`, or replace the one of the same name (names compare without case)."""
    name = check_can_save(profile.name, folder)
    profile = Profile(name, profile.kind, dict(profile.mapping), list(profile.headings))
    kept = [p for p in load_profiles(folder) if p.name.lower() != name.lower()]
    kept.append(profile)
    path = profiles_path(folder)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"the import profiles cannot be saved in {path.parent}: "
                        f"{exc.strerror or exc}") from None
    data = {"format": _FORMAT,
            "profiles": [{"name": p.name, "kind": p.kind, "mapping": p.mapping,
                          "headings": p.headings}
                         for p in sorted(kept, key=lambda p: p.name.lower())]}
    with atomic_output(path) as temp:
        temp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return path


def profile_name(name: str) -> str:
    """A profile's name as it is kept (spacing folded), or one line saying why it cannot be
    one: empty, longer than NAME_LIMIT, or holding control characters."""
    try:
        kept = short_name(name, NAME_LIMIT, "an import profile's name")
    except ValueError as exc:
        raise UserError(f"{exc}: give another name") from None
    if not kept:
        raise UserError("a mapping profile needs a name")
    return kept


def check_can_save(name: str, folder: str | os.PathLike | None = None) -> str:
    """The name a profile will be saved under, once it is known it can be: a good name, a
    profiles file that reads, and a settings folder that is a folder (or can be made). The
    command line asks before it imports, so a profile that cannot be saved refuses the
    import before the register is written, not after."""
    kept = profile_name(name)
    load_profiles(folder)
    home = config_dir(folder)
    for place in (home, *home.parents):
        if place.exists():
            if not place.is_dir():
                raise UserError(f"the import profiles cannot be saved in {home}: {place} is a "
                                "file, not a folder")
            break
    return kept


def find_profile(name: str, folder: str | os.PathLike | None = None) -> Profile:
    """The profile called `name` (any case); an unknown name is one line listing those saved."""
    profiles = load_profiles(folder)
    wanted = " ".join(name.split()).lower()
    for p in profiles:
        if p.name.lower() == wanted:
            return p
    if profiles:
        names = ", ".join(quoted(p.name, NAME_LIMIT) for p in profiles)
        raise UserError(f"there is no import profile called {quoted(name, NAME_LIMIT)}; the "
                        f"saved profiles are: {names}")
    raise UserError(f"there is no import profile called {quoted(name, NAME_LIMIT)}, and none is "
                    "saved yet; save "
                    "one with --save-profile NAME or from the app's import wizard")


def matching_profiles(headings: Iterable[str], kind: str | None = None,
                      folder: str | os.PathLike | None = None) -> list[Profile]:
    """The saved profiles made for files with exactly these headings (of `kind`, if given)."""
    headings = list(headings)
    return [p for p in load_profiles(folder)
            if p.fits(headings) and (kind is None or p.kind == kind)]


def fitting_profiles(grid: Grid, kind: str | None = None,
                     folder: str | os.PathLike | None = None, scan_rows: int = 30) -> list[Profile]:
    """The saved profiles made for the headings on one of the sheet's first rows (or two
    rows joined, as a merged two-row header is read), even when no heading names a field."""
    profiles = [p for p in load_profiles(folder) if kind is None or p.kind == kind]
    if not profiles:
        return []
    head = grid.rows[:scan_rows]
    candidates = [cells for _, cells in head]
    candidates += [joined_header(upper, lower)
                   for (_, upper), (_, lower) in zip(head, head[1:], strict=False)]
    keys = {heading_key(str(c) for c in cells if c is not None) for cells in candidates}
    return [p for p in profiles if heading_key(p.headings) in keys]


def profile_from(name: str, kind: str, columns: Sequence[tuple[str, str | None]]) -> Profile:
    """A profile from a file's columns as read: (their heading, field or None for ignored).
    A heading the file repeats ("Likelihood" twice, read as initial then residual) is left
    to be read by position, as it was: one field for both would lose one of them."""
    counts: dict[str, int] = {}
    for heading, _ in columns:
        counts[normalise(heading)] = counts.get(normalise(heading), 0) + 1
    mapping = {heading: chosen or IGNORE for heading, chosen in columns
               if counts[normalise(heading)] == 1}
    return Profile(name, kind, mapping, [h for h, _ in columns])


def with_profile(profile: Profile | None, overrides: Mapping[str, str]) -> dict[str, str]:
    """A profile's mapping with the user's own choices (`--map`) laid over it: theirs win."""
    out = profile.overrides() if profile else {}
    explicit = {normalise(k) for k in overrides}
    out = {k: v for k, v in out.items() if normalise(k) not in explicit}
    out.update(overrides)
    return out
