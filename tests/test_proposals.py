"""The calibration's proposals: a kernel around the last generation with the prior mixed in."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyabc
import pytest
from scipy.stats import norm

from sim.calibration.proposals import MultivariateNormalKernel, PriorMixture

NAMES = ["a", "b", "c"]
SHARE = 0.3


def _prior() -> pyabc.Distribution:
    return pyabc.Distribution(**{name: pyabc.RV("norm", 0.0, 1.0) for name in NAMES})


def _fitted(centre: float, spread: float, share: float = SHARE) -> PriorMixture:
    rng = np.random.default_rng(5)
    particles = pd.DataFrame(rng.normal(centre, spread, (400, len(NAMES))), columns=NAMES)
    mixture = PriorMixture(pyabc.MultivariateNormalTransition(), _prior(), share)
    mixture.fit(particles, np.full(400, 1 / 400))
    return mixture


def test_the_density_is_the_mixture_of_kernel_and_prior():
    mixture = _fitted(centre=1.0, spread=0.2)
    points = pd.DataFrame(np.random.default_rng(6).normal(0.5, 1.0, (50, 3)), columns=NAMES)
    prior = norm.pdf(points.to_numpy()).prod(axis=1)  # three standard normals
    expected = (1 - SHARE) * mixture.kernel.pdf(points) + SHARE * prior
    np.testing.assert_allclose(mixture.pdf(points), expected, rtol=1e-12)
    # One point at a time (as pyabc weighs a particle) gives the same density.
    single = [mixture.pdf(pyabc.Parameter(row.to_dict())) for _, row in points.iterrows()]
    np.testing.assert_allclose(single, expected, rtol=1e-12)


def test_no_importance_weight_exceeds_one_over_the_prior_share():
    mixture = _fitted(centre=2.0, spread=0.05)  # a narrow kernel far from the prior's centre
    points = pd.DataFrame(np.random.default_rng(7).normal(0.0, 3.0, (2000, 3)), columns=NAMES)
    weights = norm.pdf(points.to_numpy()).prod(axis=1) / mixture.pdf(points)
    assert weights.max() <= 1 / SHARE * (1 + 1e-12)
    # Without the prior's share the same kernel gives weights far beyond that bound: its
    # density falls to nothing a few tenths away from its cluster of spread 0.05 at 2.0.
    with np.errstate(divide="ignore", over="ignore"):  # the kernel's density underflows to 0
        kernel_only = norm.pdf(points.to_numpy()).prod(axis=1) / mixture.kernel.pdf(points)
    assert kernel_only.max() > 100 / SHARE


def test_the_prior_share_of_the_draws_comes_from_the_prior():
    mixture = _fitted(centre=8.0, spread=0.01)  # kernel draws all lie near 8 in every parameter
    np.random.seed(11)  # noqa: NPY002 (pyabc's generator)
    draws = pd.DataFrame([mixture.rvs_single() for _ in range(4000)])
    from_prior = (draws[NAMES].abs() < 5).all(axis=1).mean()
    # Binomial standard error of 4,000 draws at 0.3: 0.0072; 0.03 is four of them.
    assert from_prior == pytest.approx(SHARE, abs=0.03)
    np.random.seed(11)  # noqa: NPY002
    again = pd.DataFrame([mixture.rvs_single() for _ in range(4000)])
    pd.testing.assert_frame_equal(draws, again)  # the seeded global generator decides


@pytest.mark.parametrize("share", [-0.1, 1.0])
def test_a_prior_share_outside_zero_to_one_is_refused(share):
    with pytest.raises(ValueError, match="prior_share must be in"):
        PriorMixture(pyabc.MultivariateNormalTransition(), _prior(), share)


@pytest.mark.parametrize(("dimensions", "particles"), [(3, 50), (11, 2000)])
def test_the_kernel_draws_what_pyabcs_draws_to_the_bit(dimensions, particles):
    rng = np.random.default_rng(dimensions)
    mixing = rng.normal(size=(dimensions, dimensions))  # correlated parameters
    frame = pd.DataFrame(
        rng.normal(size=(particles, dimensions)) @ mixing,
        columns=[f"p{i}" for i in range(dimensions)],
    )
    weights = rng.random(particles)
    weights /= weights.sum()
    theirs = pyabc.MultivariateNormalTransition(scaling=1.5)
    ours = MultivariateNormalKernel(scaling=1.5)
    draws = {}
    for label, kernel in (("theirs", theirs), ("ours", ours)):
        kernel.fit(frame, weights)
        np.random.seed(dimensions)  # noqa: NPY002 (pyabc's generator)
        draws[label] = [kernel.rvs_single() for _ in range(2000)]
        draws[label + " after"] = np.random.random_sample(3)  # noqa: NPY002
    for mine, expected in zip(draws["ours"], draws["theirs"], strict=True):
        assert isinstance(mine, pyabc.Parameter)
        assert list(mine) == list(expected)
        assert [(type(v), v) for v in mine.values()] == [(type(v), v) for v in expected.values()]
    # The generator is left where pyabc leaves it: the next proposals are the same too.
    np.testing.assert_array_equal(draws["ours after"], draws["theirs after"])
    # Not vacuous: the draws spread around many particles.
    assert len({round(d["p0"], 1) for d in draws["ours"]}) > 20


def test_the_kernel_follows_a_new_fit():
    ours = MultivariateNormalKernel()
    names = ["a", "b"]
    ours.fit(pd.DataFrame([[0.0, 0.0], [0.1, 0.1]], columns=names), np.array([0.5, 0.5]))
    ours.fit(pd.DataFrame([[9.0, 9.0], [9.1, 9.1]], columns=names), np.array([0.5, 0.5]))
    np.random.seed(3)  # noqa: NPY002
    # Bandwidth: Silverman's factor for 2 particles in 2 dimensions times the spread
    # 0.05 is about 0.05, so every draw lies within 1 of the second fit's particles.
    assert all(abs(ours.rvs_single()["a"] - 9.05) < 1 for _ in range(200))
