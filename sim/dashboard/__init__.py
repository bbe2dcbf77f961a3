"""The what-if dashboard: policy makers move the levers and see the path to 250 jobs.

- :mod:`sim.dashboard.levers`: the levers and how they map to a scenario's overrides;
- :mod:`sim.dashboard.compute`: posterior draws in worker processes, streamed;
- :mod:`sim.dashboard.answers`: the report's figure blocks for the draws so far;
- :mod:`sim.dashboard.app`, :mod:`sim.dashboard.up_close`: the pages (Solara, Mesa's
  SolaraViz);
- :mod:`sim.dashboard.server`: ``basisbaan dashboard``, local and offline;
- :mod:`sim.dashboard.words`: the dashboard's own words, in Dutch and English.

Only the levers, the computation and the answers are imported without Solara.
"""
