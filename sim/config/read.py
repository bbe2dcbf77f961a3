"""Reading a user's file: bytes, then UTF-8, then TOML; and a config's ``[params]``.

This is the one place where a file a user hands us is opened. Every failure is a
:class:`~sim.config.errors.ConfigError` naming the file: not found, a directory, not
readable, not UTF-8 (with the line and column of the first bad byte), or not TOML (with
the line and column where parsing stopped). What the tables mean is checked where it
lives (:mod:`sim.experiment`, :mod:`sim.calibration.settings`,
:mod:`sim.calibration.targets`), with the checks of :mod:`sim.config.checks`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sim.config.errors import ConfigError
from sim.params import Params

# A byte-order mark is what Windows editors put before UTF-8 text; it is not part of
# the TOML, so it is dropped rather than reported as a syntax error on line 1.
ENCODING = "utf-8-sig"


def read_text(path: str | Path) -> str:
    """The text of a UTF-8 file.

    Raises:
        ConfigError: the file is missing, a directory, unreadable or not UTF-8.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError("file not found", source=str(path)) from None
    except IsADirectoryError:
        raise ConfigError("is a directory, not a file", source=str(path)) from None
    except OSError as error:
        raise ConfigError(f"cannot be read: {error.strerror}", source=str(path)) from None
    try:
        return raw.decode(ENCODING)
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise ConfigError(
            f"not UTF-8 text: byte 0x{raw[error.start]:02x} at line {line}, column {column} "
            "(save the file as UTF-8)",
            source=str(path),
        ) from None


def read_toml(path: str | Path) -> tuple[dict[str, Any], str]:
    """The tables of a TOML file, and its text (which experiments keep in their manifest).

    Raises:
        ConfigError: see :func:`read_text`; or not valid TOML, with the line and column.
    """
    text = read_text(path)
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as error:
        # tomllib's message ends with "(at line L, column C)".
        raise ConfigError(f"not valid TOML: {error}", source=str(path)) from None


def read_params(path: str | Path) -> Params:
    """The parameters of a config: its ``[params]`` table, or the whole file if it has none.

    Args:
        path: a TOML file, such as an experiment file.

    Returns:
        The baseline with the file's overrides, validated.

    Raises:
        ConfigError: the file cannot be read, or a parameter is unknown or invalid (the
            key path starts with ``params.`` when the file has that table).
    """
    data, _ = read_toml(path)
    if "params" not in data:
        return Params.from_mapping(data, source=str(path))
    table = data["params"]
    if not isinstance(table, Mapping):
        raise ConfigError("must be a table of parameters", source=str(path), key="params")
    return Params.from_mapping(table, source=str(path), where="params")
