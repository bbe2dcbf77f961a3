"""Agent-based simulation of the Groningen basisbaan programme (Mesa).

from sim import BasisbaanModel, Params, simulate

The names are imported on first use, so that the layers that do not run the model
(summaries, figures, the report) do not pay for importing Mesa.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.config.errors import ConfigError
    from sim.model import BasisbaanModel
    from sim.params import Params
    from sim.simulation import run_replicate, simulate

__version__ = "0.1.0"

_HOMES = {
    "BasisbaanModel": "sim.model",
    "ConfigError": "sim.config.errors",
    "Params": "sim.params",
    "run_replicate": "sim.simulation",
    "simulate": "sim.simulation",
}

__all__ = ["BasisbaanModel", "ConfigError", "Params", "__version__", "run_replicate", "simulate"]


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
