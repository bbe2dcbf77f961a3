#!/usr/bin/env bash
# Mutation testing of the model's parts, costs, summary, store, streams and policy
# (issue 16). Run by hand, not in CI: it takes about half an hour on one core.
#
#   bash scripts/mutation.sh            # run (resumes: mutants already tried are kept)
#   bash scripts/mutation.sh --fresh    # forget earlier results and start over
#
# The modules and the fast unit tests run against each mutant are in pyproject.toml
# ([tool.mutmut]). mutmut copies sim/ and tests/ to mutants/ (git-ignored), changes one
# thing at a time and runs the tests that cover the changed function. The scores per
# module and every surviving mutant, with the test that kills it or why it is
# equivalent, are in docs/mutation.md; `scripts/mutation_scores.py` prints the table.
set -euo pipefail
cd "$(dirname "$0")/.."

.venv/bin/python -m pip install --quiet 'mutmut>=3.3,<4'
if [ "${1:-}" = "--fresh" ]; then
  rm -rf mutants
fi
# mutmut copies sim/ and tests/ only; the store's tests read a municipality profile.
mkdir -p mutants && cp -r municipalities mutants/
# One process, at low priority: the machine is shared.
nice -n 10 .venv/bin/mutmut run --max-children 1 || true
.venv/bin/python scripts/mutation_scores.py
