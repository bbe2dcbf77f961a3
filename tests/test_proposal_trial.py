"""The proposal trial's reweighting (scripts/proposal_trial.py) against direct sampling."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm

from scripts.proposal_trial import reweighted


def _accept(theta: np.ndarray) -> np.ndarray:
    return np.abs(theta - 0.3) < 1.2  # a model that accepts a window of parameter values


def test_reweighting_draws_of_one_proposal_gives_the_effective_sample_of_another():
    rng = np.random.default_rng(1)
    used, other = norm(0.0, 2.0), norm(0.2, 1.2)  # the other proposal is the narrower
    n = 200_000
    drawn = used.rvs(n, random_state=rng)
    accepted = drawn[_accept(drawn)]
    ess, acceptance = reweighted(used.pdf(accepted), other.pdf(accepted), norm.pdf(accepted))
    # Directly: draw from the other proposal, accept, weigh by prior / proposal.
    direct = other.rvs(n, random_state=rng)
    kept = direct[_accept(direct)]
    weights = norm.pdf(kept) / other.pdf(kept)
    direct_ess = weights.sum() ** 2 / (weights**2).sum() / len(kept)
    # Both are Monte Carlo estimates from ~10^5 accepted draws: standard errors near
    # 0.002, so 0.01 is about five of them.
    assert ess == pytest.approx(direct_ess, abs=0.01)
    assert acceptance == pytest.approx(_accept(direct).mean() / _accept(drawn).mean(), abs=0.01)


def test_the_proposal_used_repeats_the_kish_effective_sample_of_its_weights():
    rng = np.random.default_rng(2)
    accepted = rng.normal(0.0, 1.5, 1000)
    density = norm(0.0, 1.5).pdf(accepted)
    ess, acceptance = reweighted(density, density, norm.pdf(accepted))
    weights = norm.pdf(accepted) / density
    assert ess == pytest.approx(weights.sum() ** 2 / (weights**2).sum() / 1000, rel=1e-12)
    assert acceptance == pytest.approx(1.0, rel=1e-12)
