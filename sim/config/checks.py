"""Checks shared by every input: unknown names, pydantic's errors, and plain values.

Each check takes a value and either returns it or raises one
:class:`~sim.config.errors.ConfigError` naming the file (``source``), the key path and
what is allowed. Nothing here opens a file, so the model core uses these checks too.

- Unknown names get the closest valid names as a hint, always in the same words:
  ``unknown key; did you mean 'replicates'? allowed: name, description, ...``
  (:func:`check_keys` for the keys of a table, :func:`unknown_name` for a name given as
  a value, such as a wijk or an outcome column).
- :func:`validation_error` turns pydantic's ``ValidationError`` into that message: the
  key path, pydantic's statement of what is allowed, and the value given.
  :func:`validate_table` checks a table's keys against a pydantic model and builds it.
- :class:`InputTable`: the base of every pydantic model a user's table is read into
  (the parameter registry, calibration settings, targets, and the observation files to
  come): numbers are finite, a boolean is not a number, a number is not a date and a
  quoted number is not a number.
- Value checks used by more than one file and by the command line: :func:`is_number`
  (a boolean is not a number, although Python says ``True == 1``), :func:`number`
  (finite, within bounds), :func:`whole_number`, :func:`string`, :func:`folder_name`
  (names that become folders or file names: a safe set of characters and a length),
  :func:`within_limit` (run counts and sweep sizes, with how to raise the limit),
  :func:`nesting` (how deep a value's arrays and tables go) and
  :func:`scheduler_address`.
- :func:`shown`: a value as a message quotes it, on one line and short.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import re
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator

from sim.config.errors import ConfigError, FieldError

# How alike a name must be to be suggested (difflib's ratio): 0.5 still finds
# 'househlds' -> 'households' and 'population' -> 'population_size'.
HINT_CUTOFF = 0.5

# Names that become folder or file names (an experiment, a scenario, a calibration):
# ASCII letters, digits, '_', '-' and '.', starting with a letter or a digit and not
# ending with '.' (Windows drops it). Nothing a shell, a file system or a URL treats
# specially (no space, slash, newline or NUL), and no accented letters, which macOS
# stores decomposed and other systems do not.
NAME_PATTERN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
# Names Windows reserves for devices, with or without an extension (CON, CON.txt).
RESERVED_NAMES = re.compile(r"(?i)(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\..*)?")
# Long enough for any descriptive name; short enough that a scenario name with a run's
# sample and replicate (``NAME__s0000__r00000.parquet``) stays far below the 255 bytes
# a file name may have, and that a legend or a table column can show it.
NAME_MAX_LENGTH = 64

# How long a quoted value may be in a message before it is cut (one line, readable).
SHOWN_MAX_LENGTH = 60

# Seeds are stored as 64-bit integers in every result row (and hashed as such).
SEED_LIMIT = 2**63 - 1

# The most runs (scenarios x samples x replicates) an experiment may have unless the
# command line raises it (--max-runs): 100,000 runs to 2030 take about 12 GB on disk
# and, on a few cores, days. A mistyped count is refused before anything is written,
# rather than filling memory and disk.
MAX_RUNS = 100_000

# The deepest arrays or tables in a user's file: no file of ours goes beyond four.
MAX_NESTING = 16


def key_path(*parts: Any) -> str:
    """Join the parts of a key path with dots, skipping empty ones."""
    return ".".join(str(part) for part in parts if part != "")


def suggestion(name: str, allowed: Sequence[str], *, allowed_text: str | None = None) -> str:
    """The tail of an unknown-name message: ``; did you mean 'x'? allowed: a, b, c``.

    Args:
        name: the unknown name.
        allowed: the valid names, in the order to list them.
        allowed_text: words for what is allowed, in place of listing a long list.

    Returns:
        The text to put right after ``unknown key`` (or ``unknown wijk 'X'``).
    """
    # One suggestion, the closest: a list of look-alikes is harder to act on.
    close = difflib.get_close_matches(str(name), list(allowed), n=1, cutoff=HINT_CUTOFF)
    hint = f"; did you mean '{close[0]}'?" if close else ";"
    return f"{hint} allowed: {allowed_text or ', '.join(allowed)}"


def unknown_name(
    what: str, name: Any, allowed: Sequence[str], *, allowed_text: str | None = None
) -> str:
    """The message for a name given as a value that is not one of ``allowed``.

    Example: ``unknown wijk 'Selwerdd'; did you mean 'Selwerd'? allowed: Selwerd, ...``.
    """
    tail = suggestion(str(name), allowed, allowed_text=allowed_text)
    return f"unknown {what} {shown(name)}{tail}"


def check_keys(
    table: Iterable[Any],
    allowed: Sequence[str],
    *,
    source: str | None,
    where: str = "",
    what: str = "key",
    allowed_text: str | None = None,
) -> None:
    """Reject the first key of ``table`` that is not in ``allowed``, with a hint.

    Args:
        table: the keys (a mapping or any iterable of names).
        allowed: the valid keys.
        source: the file (or flag) the table came from.
        where: the key path of the table inside the file (``""`` at the top).
        what: what a key is here, for the message (``"key"``, ``"parameter"``).
        allowed_text: words for what is allowed, in place of listing a long list.

    Raises:
        ConfigError: ``FILE: key 'WHERE.KEY': unknown WHAT; did you mean ...? allowed: ...``.
    """
    for key in table:
        if key not in allowed:
            raise ConfigError(
                f"unknown {what}{suggestion(str(key), allowed, allowed_text=allowed_text)}",
                source=source,
                key=key_path(where, key),
            )


def validation_error(error: ValidationError, *, source: str | None, where: str = "") -> ConfigError:
    """Pydantic's report as one message naming the key path, what is allowed and the value.

    Only the first error is reported: one message, one thing to fix. A
    :class:`~sim.config.errors.FieldError` raised by a model validator names its field.

    Args:
        error: what pydantic raised.
        source: the file (or flag) the values came from.
        where: the key path of the validated table inside the file.
    """
    first = error.errors()[0]
    loc: list[Any] = list(first["loc"])
    cause = (first.get("ctx") or {}).get("error")
    if isinstance(cause, FieldError):
        # The message of a check across fields already quotes the values it compares.
        loc.append(cause.key_in(first.get("input")))
        message = str(cause)
    else:
        message = first["msg"].removeprefix("Value error, ")
        value = first.get("input")
        # A whole table as "input" (a missing field, a check across a table) says nothing
        # a reader can use; a single value does.
        if loc and "input" in first and not isinstance(value, Mapping):
            message = f"{message} (got {shown(value)})"
    return ConfigError(message, source=source, key=key_path(where, *loc) or None)


def validate_table[M: BaseModel](
    model: type[M], data: Any, *, source: str | None, where: str = ""
) -> M:
    """Check a table's keys against a pydantic model, then build the model from it.

    Args:
        model: the pydantic model the table describes (``extra="forbid"``).
        data: the table, as read from TOML.
        source: the file the table came from.
        where: the key path of the table inside the file (``"abc"``, ``"target[x]"``).

    Raises:
        ConfigError: not a table, an unknown key (with a hint) or an invalid value.
    """
    if not isinstance(data, Mapping):
        raise ConfigError(f"must be a table, got {shown(data)}", source=source, key=where or None)
    check_keys(data, tuple(model.model_fields), source=source, where=where)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise validation_error(error, source=source, where=where) from None


# ---------------------------------------------------------------------------
# Tables read into pydantic models
# ---------------------------------------------------------------------------


class InputTable(BaseModel):
    """The base of every model a user's table is read into: plain values only.

    Pydantic, left to itself, turns ``true`` into 1, ``"0.5"`` into 0.5 and the number
    0 into the date 1970-01-01, and lets ``nan`` and ``inf`` through (where they become
    a jobs ceiling of -9,223,372,036,854,775,808 or a cost of NaN). Here a number field
    takes a finite int or float, a date field a date (or an ISO date string), and a flag
    a boolean; inside tables and arrays too. Subclasses add their own configuration,
    which pydantic merges with this one.
    """

    model_config = ConfigDict(allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _plain_values(cls, value: Any, info: ValidationInfo) -> Any:
        annotation = _annotation(cls, info.field_name)
        # The common case first, cheaply: a finite number for a number field (a
        # parameter set is validated for every run; written for speed).
        if type(value) in (int, float) and _admits(annotation)[2] and math.isfinite(value):
            return value
        return plain_value(value, annotation)


@functools.cache
def _annotation(model: type[BaseModel], name: str | None) -> Any:
    return model.model_fields[name].annotation if name is not None else Any


def _kinds(annotation: Any) -> frozenset[Any]:
    """The plain types an annotation admits (``float | None`` -> float, NoneType)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _kinds(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return frozenset().union(*(_kinds(arg) for arg in typing.get_args(annotation)))
    if origin is typing.Literal:
        return frozenset(type(arg) for arg in typing.get_args(annotation))
    return frozenset({origin or annotation})


@functools.cache
def _value_annotation(annotation: Any) -> Any:
    """What the values of a table or an array are annotated as (``Any`` if unknown)."""
    for kind in (annotation, *typing.get_args(annotation)):
        origin = typing.get_origin(kind)
        args = typing.get_args(kind)
        if origin in (dict, Mapping) and len(args) == 2:
            return args[1]
        if origin in (list, tuple, set, Sequence) and args:
            return args[0]
    return Any


_CONTAINERS = frozenset({dict, list, tuple, set, Mapping, Sequence})


@functools.cache
def _admits(annotation: Any) -> tuple[bool, bool, bool, bool, bool]:
    """(a container, a boolean, a number, a date, a string) for a field of this type."""
    kinds = _kinds(annotation)
    if Any in kinds or object in kinds:
        return True, True, True, True, True
    return (
        bool(kinds & _CONTAINERS),
        bool in kinds,
        bool(kinds & {int, float}),
        bool(kinds & {dt.date, dt.datetime}),
        str in kinds,
    )


def plain_value(value: Any, annotation: Any) -> Any:
    """Check a value against the plain-value rules of :class:`InputTable`.

    A field that takes a table or an array (a year schedule) has its own validator for
    a plain value; only the values inside its tables and arrays are checked here.

    Args:
        value: the value as read from the file.
        annotation: the field's type (``float``, ``dict[int, float]``, ``dt.date``...).

    Returns:
        ``value`` unchanged (pydantic converts it afterwards).

    Raises:
        ValueError: a boolean where no boolean is meant, a number where a date or a flag
            is, text where only a number or a flag is, or a number that is not finite.
        FieldError: the same inside a table or an array, naming the key inside it.
    """
    fault = _fault(value, annotation)
    if fault is None:
        return value
    path, message, bad = fault
    if path:
        raise FieldError(".".join(path), f"{message} (got {shown(bad)})")
    raise ValueError(message)


def _fault(value: Any, annotation: Any) -> tuple[list[str], str, Any] | None:
    """Where ``value`` breaks the plain-value rules: (key path inside it, why, the value)."""
    container, boolean, numbers, dates, strings = _admits(annotation)
    if isinstance(value, Mapping | list):
        inner = _value_annotation(annotation)
        if inner is Any:
            return None
        items = value.items() if isinstance(value, Mapping) else enumerate(value)
        for key, item in items:
            fault = _fault(item, inner)
            if fault is not None:
                return [str(key), *fault[0]], fault[1], fault[2]
        return None
    if container and not (boolean or numbers or dates or strings):
        return None
    wanted = "a number" if numbers else "a date" if dates else "true or false" if boolean else ""
    if isinstance(value, bool):
        return None if boolean else ([], f"must be {wanted or 'a value'}, not true or false", value)
    if isinstance(value, int | float):
        if not numbers:
            if dates:
                return [], "must be a date such as 2023-10-01, not a number", value
            if boolean:
                return [], "must be true or false, not a number", value
        elif isinstance(value, float) and not math.isfinite(value):
            return [], "must be a finite number", value
        return None
    if isinstance(value, str) and not strings and not dates and (numbers or boolean):
        return [], f"must be {wanted}, not text in quotes", value
    return None


# ---------------------------------------------------------------------------
# Plain values
# ---------------------------------------------------------------------------


def shown(value: Any) -> str:
    """A value as a message quotes it: TOML's words for booleans, short, on one line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = repr(value)
    if len(text) > SHOWN_MAX_LENGTH:
        text = f"{text[: SHOWN_MAX_LENGTH - 3]}..."
    return text


def is_number(value: Any) -> bool:
    """Whether ``value`` is an int or a float and not a boolean (``true`` is not 1 here)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def number(
    value: Any,
    *,
    source: str | None,
    key: str | None = None,
    at_least: float | None = None,
    at_most: float | None = None,
) -> float:
    """A finite number (not a boolean), optionally within ``[at_least, at_most]``.

    Raises:
        ConfigError: ``must be a finite number from A to B, got VALUE``.
    """
    inside = (
        is_number(value)
        and math.isfinite(value)
        and (at_least is None or value >= at_least)
        and (at_most is None or value <= at_most)
    )
    if not inside:
        bounds = (
            f" from {at_least:g} to {at_most:g}"
            if at_least is not None and at_most is not None
            else f" of at least {at_least:g}"
            if at_least is not None
            else f" of at most {at_most:g}"
            if at_most is not None
            else ""
        )
        raise ConfigError(
            f"must be a finite number{bounds}, got {shown(value)}", source=source, key=key
        )
    return float(value)


def whole_number(
    value: Any,
    *,
    at_least: int,
    source: str | None,
    key: str | None = None,
    at_most: int | None = None,
    raise_with: str | None = None,
) -> int:
    """A whole number of at least ``at_least`` (a count, a seed), not a float or a boolean.

    Args:
        value: the value given.
        at_least: the smallest allowed.
        source: the file (or flag) it came from.
        key: its key path.
        at_most: the largest allowed.
        raise_with: how to raise ``at_most`` when it is a limit rather than a bound
            (``"--max-runs"``), for the message.

    Raises:
        ConfigError: ``must be a whole number of at least N, got VALUE``.
    """
    limit = at_most is not None and raise_with is not None
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or value < at_least
        or (at_most is not None and not limit and value > at_most)
    ):
        upper = f" and at most {at_most:,}" if at_most is not None and not limit else ""
        raise ConfigError(
            f"must be a whole number of at least {at_least}{upper}, got {shown(value)}",
            source=source,
            key=key,
        )
    if at_most is not None and value > at_most:
        raise ConfigError(
            f"{value:,} is more than {at_most:,} (raise the limit with {raise_with})",
            source=source,
            key=key,
        )
    return value


def within_limit(
    count: int,
    *,
    limit: int,
    parts: str,
    source: str | None,
    key: str | None = None,
    raise_with: str = "--max-runs",
) -> int:
    """A count of runs (or sweep samples) that stays within a limit the user can raise.

    Args:
        count: the count.
        limit: the largest allowed.
        parts: how the count is made up (``"3 scenarios x 16 samples x 50 replicates"``).
        source: the file (or flag) that set the largest factor.
        key: its key path.
        raise_with: the command-line option that raises the limit.

    Raises:
        ConfigError: ``PARTS is N runs, more than the limit of L; lower it, or raise the
            limit with --max-runs``.
    """
    if count > limit:
        raise ConfigError(
            f"{parts} is {count:,} runs, more than the limit of {limit:,}: lower it, or "
            f"raise the limit with {raise_with}",
            source=source,
            key=key,
        )
    return count


def string(value: Any, *, source: str | None, key: str | None = None) -> str:
    """A string.

    Raises:
        ConfigError: ``must be a string, got VALUE``.
    """
    if not isinstance(value, str):
        raise ConfigError(f"must be a string, got {shown(value)}", source=source, key=key)
    return value


def folder_name(
    value: Any, *, source: str | None, key: str | None = None, also_forbidden: Sequence[str] = ()
) -> str:
    """A name that becomes a folder or part of a file name (an experiment, a scenario).

    Args:
        value: the name.
        source: the file it came from.
        key: its key path.
        also_forbidden: more substrings the name may not contain (a scenario name may not
            hold ``__``, which separates the parts of a run's file name).

    Raises:
        ConfigError: not 1 to :data:`NAME_MAX_LENGTH` characters of
            :data:`NAME_PATTERN`, or holding one of ``also_forbidden``.
    """
    name = string(value, source=source, key=key)
    if (
        not NAME_PATTERN.fullmatch(name)
        or len(name) > NAME_MAX_LENGTH
        or any(part in name for part in also_forbidden)
    ):
        extra = "".join(f", without '{part}'" for part in also_forbidden)
        raise ConfigError(
            f"{shown(name)} cannot be a file name: use 1 to {NAME_MAX_LENGTH} of the letters "
            f"a-z and A-Z, digits, '_', '-' and '.', starting with a letter or a digit and "
            f"not ending with '.'{extra}",
            source=source,
            key=key,
        )
    if RESERVED_NAMES.fullmatch(name):
        raise ConfigError(
            f"{shown(name)} cannot be a file name: Windows reserves it for a device",
            source=source,
            key=key,
        )
    return name


def nesting(value: Any) -> int:
    """How deep a value's arrays and tables go (a number is 0, ``[[1]]`` is 2).

    Iterative, so that a value nested beyond Python's recursion limit is measured too.
    """
    deepest = 0
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, Mapping):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list | tuple):
            stack.extend((child, depth + 1) for child in item)
    return deepest


# A Dask scheduler address: tcp://HOST:PORT (tls, ws and wss too, or HOST:PORT alone).
# HOST is a name, an IPv4 address or an IPv6 address in brackets.
SCHEDULER_ADDRESS = re.compile(
    r"(?:(?:tcp|tls|ws|wss)://)?(?P<host>[A-Za-z0-9][A-Za-z0-9.-]*|\[[0-9A-Fa-f:.]+\])"
    r":(?P<port>[0-9]{1,5})"
)


def scheduler_address(value: str, *, source: str = "--scheduler") -> str:
    """A Dask scheduler address such as ``tcp://10.0.0.5:8786``.

    Raises:
        ConfigError: not of the form ``tcp://HOST:PORT`` with a port from 1 to 65535.
    """
    match = SCHEDULER_ADDRESS.fullmatch(value)
    if match is None or not 1 <= int(match["port"]) <= 65_535:
        raise ConfigError(
            f"{shown(value)} is not a scheduler address: give tcp://HOST:PORT, with a port "
            "from 1 to 65535 (tls://, ws:// and wss:// work too)",
            source=source,
        )
    return value
