"""The programme's parts, each owning its state, composed by ``sim.model.BasisbaanModel``.

- ``people``: where everyone stands, the participants' per-person state, the weekly
  agendas and the tallies of who is employed (shared by the parts);
- ``referral``: the eligible pool and the candidates put forward for an intake;
- ``intake``: the coaches, their conversations and their decisions;
- ``tasks``: the wijk organisations and the task market;
- ``work``: contract hours, sickness absence and guidance;
- ``contracts``: permanent contracts and the ways out;
- ``accounting``: the week's costs and the budget rule.
"""
