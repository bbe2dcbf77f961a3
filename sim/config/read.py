"""Reading a user's file: bytes, then UTF-8, then TOML; a config's ``[params]``; Parquet.

This is the one place where a file a user hands us is opened. Every failure is a
:class:`~sim.config.errors.ConfigError` naming the file: not found, a directory, not
readable, too large to be a config, not UTF-8 (with the line and column of the first
bad byte), not TOML (with the line and column where parsing stopped), nested too deep,
or, for a posterior, not Parquet. What the tables mean is checked where it lives
(:mod:`sim.experiment`, :mod:`sim.calibration.settings`,
:mod:`sim.calibration.targets`, :mod:`sim.calibration.fit`), with the checks of
:mod:`sim.config.checks`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.config.checks import MAX_NESTING, nesting
from sim.config.errors import ConfigError
from sim.params import Params

if TYPE_CHECKING:
    import pandas as pd

# A byte-order mark is what Windows editors put before UTF-8 text; it is not part of
# the TOML, so it is dropped rather than reported as a syntax error on line 1.
ENCODING = "utf-8-sig"

# The largest config we read: ours are a few kB. A larger file is not a config (a
# results file, a device such as /dev/zero), and reading it whole could fill memory.
MAX_CONFIG_BYTES = 1_000_000
# The largest posterior file: a million weighted particles of ten parameters is ~80 MB
# (ABC-SMC populations are thousands); reading further would only fill memory.
MAX_PARQUET_BYTES = 100_000_000


def read_bytes(path: str | Path, *, limit: int, what: str = "config file") -> bytes:
    """The bytes of a file of at most ``limit`` bytes (read no further: /dev/zero ends).

    Raises:
        ConfigError: the file is missing, a directory, unreadable, or larger than
            ``limit`` (so not a ``what``).
    """
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
    except FileNotFoundError:
        raise ConfigError("file not found", source=str(path)) from None
    except IsADirectoryError:
        raise ConfigError("is a directory, not a file", source=str(path)) from None
    except OSError as error:
        raise ConfigError(f"cannot be read: {error.strerror}", source=str(path)) from None
    except ValueError:  # a NUL byte in the name
        raise ConfigError("cannot be a file name (it holds a NUL byte)", source=str(path)) from None
    if len(raw) > limit:
        raise ConfigError(f"is larger than {limit:,} bytes: not a {what}", source=str(path))
    return raw


def read_text(path: str | Path) -> str:
    """The text of a UTF-8 file.

    Raises:
        ConfigError: the file is missing, a directory, unreadable, too large or not UTF-8.
    """
    raw = read_bytes(path, limit=MAX_CONFIG_BYTES)
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
        ConfigError: see :func:`read_text`; or not valid TOML, with the line and column;
            or arrays and tables nested deeper than :data:`~sim.config.checks.MAX_NESTING`.
    """
    text = read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # tomllib's message ends with "(at line L, column C)".
        raise ConfigError(f"not valid TOML: {error}", source=str(path)) from None
    except RecursionError:
        # tomllib parses nested arrays by recursion: thousands of '[' exhaust the stack.
        raise ConfigError(
            f"arrays or tables nested deeper than {MAX_NESTING} levels", source=str(path)
        ) from None
    if nesting(data) > MAX_NESTING:
        raise ConfigError(
            f"arrays or tables nested deeper than {MAX_NESTING} levels", source=str(path)
        )
    return data, text


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


def read_parquet(path: str | Path) -> pd.DataFrame:
    """A Parquet file as a frame (its pandas metadata and ``attrs`` kept).

    Raises:
        ConfigError: the file is missing, a directory, unreadable, or not Parquet.
    """
    import io

    import pandas as pd
    import pyarrow as pa

    raw = read_bytes(path, limit=MAX_PARQUET_BYTES, what="posterior file")
    try:
        return pd.read_parquet(io.BytesIO(raw))
    except (pa.ArrowException, OSError, ValueError) as error:
        first = str(error).split("\n", 1)[0]
        raise ConfigError(f"not a Parquet file ({first})", source=str(Path(path))) from None
