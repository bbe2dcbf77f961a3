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

import math
from typing import Any

import numpy as np
import pandas as pd
import pyabc
from pyabc.parameters import Parameter
from pyabc.transition import Transition

_SQRT_2PI = math.sqrt(2.0 * math.pi)  # scipy's _norm_pdf_C, for StandardNormal


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


class MultivariateNormalKernel(pyabc.MultivariateNormalTransition):
    """pyabc's ``MultivariateNormalTransition``, drawing one proposal without its overhead.

    pyabc draws a proposal by picking a particle with ``np.random.choice`` (which checks
    and sums the 2,000 weights at every draw), reading it through pandas, and perturbing
    it with ``np.random.multivariate_normal`` (which factorises the covariance at every
    draw): about 0.23 ms, 1% of an evaluation. Here the cumulative weights and the
    factor are worked out once per fit, and each draw takes the same numbers from numpy's
    legacy global generator in the same order: one uniform, then one standard normal
    per parameter. The proposals are the same to the bit (written for speed).
    """

    def fit(self, X: pd.DataFrame, w: np.ndarray) -> None:  # noqa: N803 (pyabc's names)
        """Fit as pyabc does; keep what each draw needs."""
        super().fit(X, w)
        cumulative = np.asarray(self.w, float).cumsum()  # as np.random.choice does
        cumulative /= cumulative[-1]
        self._cumulative = cumulative
        _, s, v = np.linalg.svd(self.cov)  # as np.random.multivariate_normal does
        self._factor = np.sqrt(s)[:, None] * v
        self._origin = np.zeros(len(s))
        self._names = list(self.X.columns)

    def rvs_single(self) -> Parameter:
        """One proposal: a particle by weight, perturbed by the fitted normal."""
        u = np.random.random_sample()  # noqa: NPY002 (pyabc's generator)
        particle = self._X_arr[int(self._cumulative.searchsorted(u, side="right"))]
        normal = np.random.standard_normal(len(self._origin))  # noqa: NPY002
        step = np.dot(normal.reshape(1, -1), self._factor)
        step += self._origin
        values = (particle + step[0]).tolist()  # Python floats, as pyabc's are
        return Parameter(dict(zip(self._names, values, strict=True)))


class StandardNormal(pyabc.RV):
    """pyabc's ``RV("norm", 0.0, 1.0)``, the prior of each parameter on the sampler's scale.

    pyabc asks for the prior's density at every proposal (and twice more for each
    accepted one), one parameter at a time. scipy's frozen ``pdf`` spends about 55 us on
    a single number, 0.6 ms for the eleven parameters of ``calibration/hanze.toml``:
    about 3% of an evaluation. The density of a single value is therefore worked out
    here, as scipy works it out (``np.exp(-x**2 / 2) / sqrt(2 pi)``, the same number to
    the bit); arrays and everything else go to scipy (written for speed). So is a single
    draw (16 us from scipy, eleven of them for each proposal from the prior): scipy's
    frozen normal takes one standard normal from numpy's legacy global generator.
    """

    def __init__(self, name: str = "norm", *args: Any, **kwargs: Any):
        if (name, args, kwargs) not in (("norm", (), {}), ("norm", (0.0, 1.0), {})):
            raise ValueError(f"a standard normal only, not {name}{args}{kwargs}")
        super().__init__("norm", 0.0, 1.0)  # what copy() passes back

    def pdf(self, x: Any, *args: Any, **kwargs: Any) -> Any:
        """The density at ``x``: a single number here, arrays by scipy."""
        if isinstance(x, float) and not args and not kwargs:  # numpy's float64 too
            return float(np.exp(-x * x / 2.0)) / _SQRT_2PI
        return super().pdf(x, *args, **kwargs)

    def rvs(self, *args: Any, **kwargs: Any) -> Any:
        """One draw, as scipy's (the same number and type); sizes go to scipy."""
        if not args and not kwargs:
            return np.float64(np.random.standard_normal())  # noqa: NPY002 (pyabc's generator)
        return super().rvs(*args, **kwargs)


class SingleModel(pyabc.RV):
    """pyabc's prior over models when there is one, ``RV("randint", 0, 1)``, made cheap.

    pyabc draws a model at each proposal from the prior and asks for its probability
    at each proposal and each weight: scipy spends 32 us on the draw and 39 us on the
    probability, about 0.5% of an evaluation, to say "model 0, with probability 1".
    Here both are given as scipy gives them (the draw takes nothing from the generator,
    as scipy's takes nothing for a range of one); anything else goes to scipy (written
    for speed).
    """

    def __init__(self, name: str = "randint", *args: Any, **kwargs: Any):
        if (name, args, kwargs) not in (("randint", (), {}), ("randint", (0, 1), {})):
            raise ValueError(f"one model only, not {name}{args}{kwargs}")
        super().__init__("randint", 0, 1)  # what copy() passes back

    def pmf(self, x: Any, *args: Any, **kwargs: Any) -> Any:
        """The probability of model ``x``: 1 for model 0, else 0."""
        if isinstance(x, int | np.integer) and not args and not kwargs:
            return np.float64(1.0 if x == 0 else 0.0)
        return super().pmf(x, *args, **kwargs)

    def rvs(self, *args: Any, **kwargs: Any) -> Any:
        """One draw: model 0."""
        if not args and not kwargs:
            return 0
        return super().rvs(*args, **kwargs)
