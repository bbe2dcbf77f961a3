"""Everything a user hands us goes through here: reading, key checks, one error format.

A bad input stops with one :class:`~sim.config.errors.ConfigError` whose message names
the file, the key (as a dotted path), the value and what is allowed::

    experiments/x.toml: key 'scenarios.faster.covid_factor': Input should be less than
    or equal to 1 (got 1.5)

Four modules, from the bottom up:

- :mod:`sim.config.errors`: :class:`ConfigError` and :class:`FieldError` (the
  exception a model validator raises to name the field at fault).
- :mod:`sim.config.checks`: unknown keys with the closest-name hint, pydantic's
  ``ValidationError`` turned into one message, :class:`~sim.config.checks.InputTable`
  (the base of every model a user's table is read into: finite numbers, a boolean is
  not a number, a number is not a date), and the value checks shared by the input files
  and the command line (numbers, whole numbers, names that become folders, run limits,
  scheduler addresses). They take values and raise; they never open a file, so the
  model core (:mod:`sim.params`) uses them to report a bad value the same way. The
  observation files of a later issue are meant to be checked with these too.
- :mod:`sim.config.read`: the only place that opens a user's file: bytes (capped), UTF-8,
  TOML (with line and column, nesting bounded), Parquet, and
  :func:`~sim.config.read.read_params`, which reads a config's ``[params]``.
- :mod:`sim.config.locations`: where results go, checked before anything is written
  (a folder that can be created and written, with room for what will be written).

The files themselves are parsed where their meaning lives: experiments in
:mod:`sim.experiment`, calibration settings in :mod:`sim.calibration.settings`, targets
in :mod:`sim.calibration.targets`; each reads through :mod:`sim.config.read` and checks
through :mod:`sim.config.checks`.

The package imports nothing from here on purpose: the core imports
:mod:`sim.config.errors` and :mod:`sim.config.checks`, while :mod:`sim.config.read`
imports the core, so importing the readers here would make a cycle.
"""
