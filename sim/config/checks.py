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
- Value checks used by more than one file: :func:`is_number` (a boolean is not a
  number, although Python says ``True == 1``), :func:`whole_number`, :func:`string` and
  :func:`folder_name` (names that become folders or file names).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from sim.config.errors import ConfigError, FieldError

# How alike a name must be to be suggested (difflib's ratio): 0.5 still finds
# 'househlds' -> 'households' and 'population' -> 'population_size'.
HINT_CUTOFF = 0.5

# Characters that would make a name unusable as a folder or file name, or split it.
FOLDER_UNSAFE = ("/", "\\", " ")


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
    return f"unknown {what} '{name}'{suggestion(str(name), allowed, allowed_text=allowed_text)}"


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
        loc.append(cause.key)
        message = str(cause)
    else:
        message = first["msg"].removeprefix("Value error, ")
        value = first.get("input")
        # A whole table as "input" (a missing field, a check across a table) says nothing
        # a reader can use; a single value does.
        if loc and "input" in first and not isinstance(value, Mapping):
            message = f"{message} (got {value!r})"
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
        raise ConfigError("must be a table", source=source, key=where or None)
    check_keys(data, tuple(model.model_fields), source=source, where=where)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise validation_error(error, source=source, where=where) from None


# ---------------------------------------------------------------------------
# Plain values
# ---------------------------------------------------------------------------


def is_number(value: Any) -> bool:
    """Whether ``value`` is an int or a float and not a boolean (``true`` is not 1 here)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def whole_number(value: Any, *, at_least: int, source: str | None, key: str | None = None) -> int:
    """A whole number of at least ``at_least`` (a count, a seed), not a float or a boolean.

    Raises:
        ConfigError: ``must be a whole number of at least N, got VALUE``.
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < at_least:
        raise ConfigError(
            f"must be a whole number of at least {at_least}, got {value!r}",
            source=source,
            key=key,
        )
    return value


def string(value: Any, *, source: str | None, key: str | None = None) -> str:
    """A string.

    Raises:
        ConfigError: ``must be a string, got VALUE``.
    """
    if not isinstance(value, str):
        raise ConfigError(f"must be a string, got {value!r}", source=source, key=key)
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
        ConfigError: empty, starting with ``.``, or holding a space, a slash or one of
            ``also_forbidden``.
    """
    name = string(value, source=source, key=key)
    forbidden = (*FOLDER_UNSAFE, *also_forbidden)
    if not name or name.startswith(".") or any(part in name for part in forbidden):
        extra = "".join(f", '{part}'" for part in also_forbidden)
        raise ConfigError(
            f"'{name}' cannot be a file name: give a non-empty name without spaces, "
            f"slashes{extra} or a leading '.'",
            source=source,
            key=key,
        )
    return name
