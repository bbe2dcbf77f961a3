"""The calibration's history: pyabc's database, each generation written in bulk.

pyabc keeps every generation of an ABC-SMC run in a SQLite database: the particles,
their parameters, distances and summary statistics. Resuming a run reads it (the last
generation's statistics set up the adaptive distance), and so do the posterior, the
diagnostics and the figures. pyabc writes a generation as one ORM object per row and
calls it "highly inefficient" in its own comment: for 2,000 particles with eleven
parameters and a dozen statistics that is some 52,000 objects and 5-6 seconds a
generation, while the sampler's workers wait. :class:`History` writes the same rows,
with the same ids, in one bulk insert per table (written for speed; pyabc reads them
back as its own, which the tests check).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyabc
import sqlalchemy as sa
from pyabc.storage.db_model import (
    ABCSMC,
    Model,
    Parameter,
    Particle,
    Population,
    Sample,
    SummaryStatistic,
)
from pyabc.storage.history import with_session


class History(pyabc.History):
    """pyabc's :class:`~pyabc.History`, appending a generation in bulk inserts.

    Use it in place of the history ``ABCSMC.new`` or ``ABCSMC.load`` makes
    (:func:`written_in_bulk`). Everything else is pyabc's.
    """

    @with_session
    def _save_to_population_db(
        self,
        t: int,
        current_epsilon: float,
        nr_simulations: int,
        particles_by_model: dict[int, list[Any]],
        model_probabilities: pd.DataFrame,
        model_names: list[str],
        wall_time: float | None = None,
    ) -> None:
        """Store one generation: the rows pyabc's own method stores, in the same order."""
        session = self._session
        abcsmc = session.query(ABCSMC).filter(ABCSMC.id == self.id).one()
        population = Population(
            t=t, nr_samples=nr_simulations, epsilon=current_epsilon, wall_time=wall_time
        )
        abcsmc.populations.append(population)
        models = {}
        for m in particles_by_model:
            models[m] = model = Model(
                m=int(m), p_model=float(model_probabilities.loc[m, "p"]), name=str(model_names[m])
            )
            population.models.append(model)
        session.flush()  # the population's and the models' ids

        # SQLite gives an inserted row the largest id plus one, as the ORM's one-by-one
        # inserts would: the ids below are the ones pyabc would have written.
        particle_id = _largest_id(session, Particle)
        sample_id = _largest_id(session, Sample)
        particles: list[dict[str, Any]] = []
        parameters: list[dict[str, Any]] = []
        samples: list[dict[str, Any]] = []
        statistics: list[dict[str, Any]] = []
        for m, model_population in particles_by_model.items():
            model_id = models[m].id
            for particle in model_population:
                particle_id += 1
                sample_id += 1
                particles.append(
                    {"id": particle_id, "model_id": model_id, "w": particle.weight,
                     "proposal_id": particle.proposal_id}
                )  # fmt: skip
                for key, value in particle.parameter.items():
                    if isinstance(value, dict):  # a nested parameter, as pyabc names it
                        parameters.extend(
                            {"particle_id": particle_id, "name": f"{key}_{inner}", "value": v}
                            for inner, v in value.items()
                        )
                    else:
                        parameters.append({"particle_id": particle_id, "name": key, "value": value})
                samples.append(
                    {"id": sample_id, "particle_id": particle_id, "distance": particle.distance}
                )
                if self.stores_sum_stats:
                    for name, value in particle.sum_stat.items():
                        if name is None:
                            raise ValueError("Summary statistics need names.")
                        statistics.append({"sample_id": sample_id, "name": name, "value": value})
        for table, rows in (
            (Particle, particles),
            (Parameter, parameters),
            (Sample, samples),
            (SummaryStatistic, statistics),
        ):
            if rows:
                session.execute(sa.insert(table), rows)
        session.commit()


def _largest_id(session: Any, table: Any) -> int:
    """The largest id in ``table`` (0 when it is empty)."""
    return int(session.execute(sa.select(sa.func.max(table.id))).scalar() or 0)


def written_in_bulk(abc: pyabc.ABCSMC) -> History:
    """Make ``abc`` append its generations through :class:`History`; the history.

    Call it after ``abc.new`` or ``abc.load``: the new history points to the same
    database and run.
    """
    abc.history = History(abc.history.db, _id=abc.history.id)
    return abc.history
