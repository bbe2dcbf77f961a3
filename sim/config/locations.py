"""Where results go, and where the shipped experiment files are found.

Results go to a folder or a file that can be created and written, with room. That is
checked before anything is written, so that a bad ``--out`` (a file, a path under a
file, a device such as ``/dev/null``, a folder without permission or on a read-only
file system, a name too long for the file system, a disk without room for the runs)
stops with one :class:`~sim.config.errors.ConfigError` naming the location, rather
than a traceback half way through an experiment. Nothing here creates anything. A
command given no experiment file runs a shipped one (:func:`config_file`).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sim.config.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parents[2]
# The shipped experiment files a command runs when given none.
BASELINE = Path("experiments/baseline.toml")
GROWTH_SCENARIOS = Path("experiments/growth_scenarios.toml")

# The longest name of one folder or file, and of a whole path, most file systems allow
# (Linux's NAME_MAX and PATH_MAX; macOS allows 255 and 1024).
NAME_MAX_BYTES = 255
PATH_MAX_BYTES = 4095


def config_file(path: Path | None, default: Path = BASELINE) -> Path:
    """The file asked for, or else the shipped ``default``.

    The default is taken from the working folder when it is there (a copy being
    edited), else from the checkout this package runs from.
    """
    if path is not None:
        return path
    if default.exists():
        return default
    return REPO_ROOT / default


def output_folder(path: str | Path, *, needs_bytes: int = 0, needs_for: str = "") -> Path:
    """A folder results can be written to: it exists as a folder or can be created.

    Args:
        path: the folder.
        needs_bytes: the free space the writing will take (0: not checked).
        needs_for: what ``needs_bytes`` is for (``"12 runs"``), for the message.

    Returns:
        ``path`` as a :class:`~pathlib.Path`.

    Raises:
        ConfigError: naming the folder, when it cannot be used and why.
    """
    folder = _checked_path(path)
    source = str(folder)
    existing = _nearest_existing(folder)
    kind = _kind(existing, source)
    if existing == folder and kind != "folder":
        raise ConfigError(f"is {kind}, not a folder", source=source)
    if kind != "folder":
        raise ConfigError(f"cannot be created: {existing} is {kind}, not a folder", source=source)
    _check_writable(existing, source)
    if needs_bytes:
        try:
            free = free_bytes(existing)
        except OSError as error:
            raise ConfigError(f"cannot be used: {error.strerror}", source=source) from None
        if free < needs_bytes:
            what = f" for {needs_for}" if needs_for else ""
            raise ConfigError(
                f"too little free space: about {_size(needs_bytes)} is needed{what}, and "
                f"{_size(free)} is free there; free some space or choose another --out",
                source=source,
            )
    return folder


def output_file(path: str | Path) -> Path:
    """A file that can be written (created, or replaced): its folder is writable.

    Raises:
        ConfigError: naming the file, when it cannot be written and why.
    """
    file = _checked_path(path)
    source = str(file)
    existing = _nearest_existing(file)
    kind = _kind(existing, source)
    if existing == file:
        if kind == "folder":
            raise ConfigError("is a folder: give a file name", source=source)
        if kind != "a file":
            raise ConfigError(f"is {kind}, not a file", source=source)
        _check_writable(file.parent, source)
        return file
    if kind != "folder":
        raise ConfigError(f"cannot be created: {existing} is {kind}, not a folder", source=source)
    _check_writable(existing, source)
    return file


def free_bytes(folder: Path) -> int:
    """Bytes free to an ordinary user on the file system of ``folder``."""
    fs = os.statvfs(folder)
    return fs.f_bavail * fs.f_frsize


def _checked_path(path: str | Path) -> Path:
    text = os.fspath(path)
    if not text:
        raise ConfigError("is empty: give a folder", source="--out")
    if "\0" in text:
        raise ConfigError("cannot be a file name (it holds a NUL byte)", source=text)
    encoded = os.fsencode(text)
    for part in Path(text).parts:
        if len(os.fsencode(part)) > NAME_MAX_BYTES:
            raise ConfigError(
                f"has a name longer than {NAME_MAX_BYTES} bytes ('{part[:20]}...'), more "
                "than a file system allows",
                source=text,
            )
    if len(os.fsencode(os.path.abspath(text))) > PATH_MAX_BYTES or len(encoded) > PATH_MAX_BYTES:
        raise ConfigError(
            f"is longer than {PATH_MAX_BYTES} bytes, more than a file system allows", source=text
        )
    return Path(text)


def _nearest_existing(path: Path) -> Path:
    """``path`` if it exists (or is a link), else its nearest existing ancestor."""
    for candidate in (path, *path.parents):
        if os.path.lexists(candidate):
            return candidate
    return Path(".")


def _kind(path: Path, source: str) -> str:
    """What ``path`` is: "folder", "a file", "a device", ... (following links)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "a broken link"
    except OSError as error:
        raise ConfigError(f"cannot be used: {path}: {error.strerror}", source=source) from None
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISREG(mode):
        return "a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a pipe or socket" if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) else "not a folder"


def _check_writable(folder: Path, source: str) -> None:
    where = "" if str(folder) == source else f" ({folder})"
    try:
        flags = os.statvfs(folder).f_flag
    except OSError as error:
        raise ConfigError(f"cannot be used{where}: {error.strerror}", source=source) from None
    if flags & os.ST_RDONLY:
        raise ConfigError(f"is on a read-only file system{where}", source=source)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ConfigError(f"cannot be written{where}: permission denied", source=source)


def _size(count: int) -> str:
    if count >= 10 * 1024**3:
        return f"{count / 1024**3:,.0f} GB"
    if count >= 10 * 1024**2:
        return f"{count / 1024**2:,.0f} MB"
    return f"{count / 1024**2:,.1f} MB"
