"""Named random streams: one per stochastic process, derived from one seed.

Every draw in a run goes through these generators. Each process (see
:data:`STREAMS`) has its own stream, spawned from the run's seed
with a stable key made from the process's name (not Python's ``hash()``, which is
salted per process). Two scenarios run with the same seed therefore draw the same
numbers for the same process: they differ only where their policies differ (common
random numbers, as in Starsim).

Each stream has two faces drawn from the same seed: ``numpy`` (a
``numpy.random.Generator``) for arrays and distributions, and ``scalar`` (a
``random.Random`` seeded from it) for single uniform draws in the weekly loop, which
cost a tenth of a numpy scalar draw (written for speed).
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import math
import random
from dataclasses import dataclass, field

import numpy as np
from scipy.special import pdtr

# One stream per random process, so that a scenario that changes one process (more
# tasks collected, say) leaves the draws of every other process where they were.
STREAMS = (
    "population",  # the synthetic population and every fate drawn up front
    "referral",  # how many candidates are referred each week
    "intake",  # which coaches hold the week's fraction of a conversation
    "organisations",  # how much additional work each wijk organisation has
    "task_collection",  # how many tasks are collected each week
    "task_area",  # the wijk a task is collected in when nobody waits for one
    "task_hours",  # the hours of a collected task
    "task_misfit",  # the time until one of a participant's tasks stops fitting
    "task_misfit_choice",  # which of their tasks it is
    "sickness_onset",  # the time until a sickness-prone participant reports sick
    "sickness_spell",  # the length of a sickness spell
)
NEVER_WEEKS = 10**6  # beyond any horizon


# The key of a name never changes: hashed once per process, not for every stream of
# every model (written for speed).
@functools.lru_cache(maxsize=1024)
def stable_key(name: str) -> int:
    """A 32-bit key for ``name`` that is the same in every process and Python version."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "little")


@dataclass(frozen=True, slots=True)
class Stream:
    """The random numbers of one process."""

    numpy: np.random.Generator
    scalar: random.Random
    _poisson_cdfs: dict[float, list[float]] = field(default_factory=dict)

    def poisson(self, mean: float) -> int:
        """A Poisson count drawn from exactly one uniform, by inverting the CDF.

        numpy's Poisson sampler uses a varying number of uniforms, so two scenarios
        with different rates would fall out of step for the rest of the run. One
        uniform per draw keeps them in step, and a higher rate never gives a lower
        count for the same uniform (a monotone coupling).
        """
        if mean <= 0:
            return 0
        cdf = self._poisson_cdfs.get(mean)
        if cdf is None:
            cdf = self._poisson_cdfs[mean] = poisson_cdf(mean)
        # bisect on a list finds what np.searchsorted(side="right") finds, at a thirtieth
        # of the cost for one value (written for speed).
        return bisect.bisect_right(cdf, self.scalar.random())

    def weeks_until(self, weekly_chance: float) -> int:
        """Weeks until an event with this weekly chance happens (geometric, at least 1).

        Drawn from one uniform by inverting the geometric distribution's CDF; a chance
        of 0 never happens (:data:`NEVER_WEEKS`) and draws nothing.
        """
        if weekly_chance >= 1:
            return 1
        if weekly_chance <= 0:
            return NEVER_WEEKS
        u = self.scalar.random()
        weeks = math.log1p(-u) / math.log1p(-weekly_chance)
        return max(1, math.ceil(weeks)) if weeks < NEVER_WEEKS else NEVER_WEEKS


@functools.lru_cache(maxsize=4096)
def poisson_cdf(mean: float) -> list[float]:
    """The Poisson CDF at 0, 1, 2, ... far into the tail, as a list.

    Kept for every run of the process: the weekly rates follow the policy, so runs
    and scenarios ask for the same few hundred rates (written for speed). Callers must
    not change the list. ``scipy.special.pdtr`` is what ``scipy.stats.poisson.cdf``
    computes at whole numbers, without its argument handling, which took nine tenths
    of the time: a calibration's every particle brings new rates (written for speed;
    the same numbers, tested).
    """
    top = int(mean + 12 * math.sqrt(mean) + 20)
    return pdtr(np.arange(top), mean).tolist()


def named_streams(seed: int) -> dict[str, Stream]:
    """One stream per process in :data:`STREAMS`, all derived from ``seed``."""
    streams = {}
    for name in STREAMS:
        sequence = np.random.SeedSequence(seed, spawn_key=(stable_key(name),))
        generator = np.random.default_rng(sequence)
        scalar = random.Random(int(sequence.generate_state(2, np.uint64)[1]))
        streams[name] = Stream(numpy=generator, scalar=scalar)
    return streams


def replicate_seeds(master_seed: int, replicates: int) -> list[int]:
    """Seeds for replicates 0..n-1, spawned from a master seed with ``SeedSequence``.

    Replicate k gets the same seed in every scenario of an experiment, so scenarios
    share their random streams replicate by replicate.
    """
    children = np.random.SeedSequence(master_seed).spawn(replicates)
    return [int(child.generate_state(1, np.uint64)[0] >> np.uint64(1)) for child in children]
