"""The two exceptions of bad input: :class:`ConfigError` and :class:`FieldError`.

:class:`ConfigError` is what every reader and validator of the project raises for input
it cannot use, and what the command line turns into one line and exit status 2. Its
message always has the same shape::

    FILE: key 'KEY': WHAT IS WRONG (got VALUE)

where ``FILE`` is the file (or the command-line flag) and ``KEY`` the dotted path of
the key inside it; either may be absent when the fault is the whole file. The message
is always one line: a newline, a NUL or another control character in a file name, a
key or a value is shown escaped (as backslash-n), never printed.
"""

from __future__ import annotations

from collections.abc import Mapping


class ConfigError(ValueError):
    """An input that cannot be used: names the file, the key and what is allowed.

    Args:
        message: what is wrong and what is allowed (with the value, when there is one).
        source: the file, or the command-line flag, the input came from.
        key: the dotted path of the key inside ``source`` (``scenarios.fast.covid_factor``).

    Attributes:
        message: the message without the file and the key.
        source: as given.
        key: as given.
    """

    def __init__(self, message: str, *, source: str | None = None, key: str | None = None):
        self.message = message
        self.source = source
        self.key = key
        where = f"{source}: " if source else ""
        what = f"key '{key}': " if key else ""
        super().__init__(one_line(f"{where}{what}{message}"))


def one_line(text: str) -> str:
    """``text`` with control characters escaped (as backslash-n, backslash-x00): one line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class FieldError(ValueError):
    """A model validator's complaint about one field, raised inside a pydantic model.

    A check across fields (``covid_end`` before ``covid_start``) runs after pydantic has
    validated each field, and pydantic reports its errors without a field. Raising this
    instead of a bare ``ValueError`` lets :func:`sim.config.checks.validation_error` put
    the field in the key path, so the message still says which key to change.

    Args:
        key: the field at fault (the one the user would change).
        message: what is wrong and what is allowed.
        others: the other fields of the rule; when the user set one of them and not
            ``key``, the message names the one they set.
    """

    def __init__(self, key: str, message: str, *, others: tuple[str, ...] = ()):
        self.key = key
        self.others = others
        super().__init__(message)

    def key_in(self, given: object) -> str:
        """The field to name: ``key``, unless only one of ``others`` is in ``given``."""
        if isinstance(given, Mapping) and self.key not in given:
            for other in self.others:
                if other in given:
                    return other
        return self.key
