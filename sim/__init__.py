"""Agent-based simulation of the Groningen basisbaan programme (Mesa).

from sim import BasisbaanModel, Params, simulate
"""

from sim.model import BasisbaanModel
from sim.params import ConfigError, Params
from sim.simulation import run_replicate, simulate

__version__ = "0.1.0"

__all__ = ["BasisbaanModel", "ConfigError", "Params", "__version__", "run_replicate", "simulate"]
