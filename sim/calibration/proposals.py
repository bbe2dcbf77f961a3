"""Proposals of the ABC-SMC: a kernel around the last generation, with the prior mixed in.

pyabc weights an accepted particle by prior / proposal. A kernel density fitted to the
last generation is thin where the prior is not, and the few particles that land there
carry large weights: the effective sample shrinks. Drawing a fixed share of the
proposals from the prior itself (defensive importance sampling, Hesterberg 1995) keeps
the proposal density at least ``prior_share`` times the prior's everywhere, so no
weight exceeds ``1 / prior_share`` times the prior's own (calibration/README.md,
"Proposals", has the trials that chose it).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyabc
from pyabc.parameters import Parameter
from pyabc.transition import Transition


class PriorMixture(Transition):
    """A proposal from ``kernel`` or, with chance ``prior_share``, from ``prior``.

    The kernel is fitted to the last generation; the density is the same mixture. Draws
    come from numpy's legacy global generator, as pyabc's own transitions' do, so a
    single-core calibration seeded there stays reproducible.
    """

    def __init__(self, kernel: Transition, prior: pyabc.Distribution, prior_share: float):
        if not 0.0 <= prior_share < 1.0:
            raise ValueError(f"prior_share must be in [0, 1), not {prior_share}")
        self.kernel = kernel
        self.prior = prior
        self.prior_share = prior_share

    def fit(self, X: pd.DataFrame, w: np.ndarray) -> None:  # noqa: N803 (pyabc's names)
        """Fit the kernel to the last generation's particles ``X`` and weights ``w``."""
        self.kernel.fit(X, w)

    def rvs_single(self) -> Parameter:
        """One proposal: from the prior with chance ``prior_share``, else the kernel."""
        if np.random.uniform() < self.prior_share:  # noqa: NPY002 (pyabc's generator)
            return self.prior.rvs()
        return self.kernel.rvs_single()

    def pdf(self, x: Parameter | pd.Series | pd.DataFrame) -> Any:
        """The mixture's density at one parameter set or at each row of a frame."""
        kernel = self.kernel.pdf(x)
        prior = prior_density(self.prior, x) if isinstance(x, pd.DataFrame) else self.prior.pdf(x)
        return (1.0 - self.prior_share) * kernel + self.prior_share * prior


def prior_density(prior: pyabc.Distribution, frame: pd.DataFrame) -> np.ndarray:
    """The prior's density at each row of ``frame`` (pyabc's takes one parameter set)."""
    return np.prod([rv.pdf(frame[name].to_numpy()) for name, rv in prior.items()], axis=0)
