"""Calibration of the model to the programme's figures up to March 2023 (ABC-SMC, pyabc).

Three modules, each named for what it holds:

- :mod:`sim.calibration.targets`: the observed figures (``calibration/targets.toml``),
  the summary statistic a simulated run gives each of them, and the distance.
- :mod:`sim.calibration.settings`: a calibration file (``calibration/hanze.toml``): the
  free parameters and their priors, the ABC-SMC settings, and the simulator pyabc calls.
- :mod:`sim.calibration.fit`: running ABC-SMC, the posterior on disk, the posterior
  predictive check, and the calibration's figures.

Import from the module that holds a name (``from sim.calibration.fit import
run_calibration``): this file imports none of them, so that reading targets does not
import pyabc or the model.
"""
