"""Mutation scores per module from mutmut's results, less the mutants shown equivalent.

Reads ``mutmut results --all true`` (run in the repository root after
``scripts/mutation.sh``) and ``scripts/mutation_equivalent.txt`` (one mutant name a
line, ``#`` and the reason after it), and prints a Markdown table: per module the
mutants, killed, equivalent, surviving and not checked (mutmut resets the mutants of a
function that changed since they were tried), and the score over the mutants tried and
not shown equivalent.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EQUIVALENT = ROOT / "scripts" / "mutation_equivalent.txt"
KILLED = {"killed", "timeout", "segfault"}  # a mutant that crashes or hangs the tests is caught


def equivalent_mutants() -> set[str]:
    """The mutants listed as equivalent, with their reasons stripped."""
    if not EQUIVALENT.exists():
        return set()
    names = (line.split("#", 1)[0].strip() for line in EQUIVALENT.read_text().splitlines())
    return {name for name in names if name}


def results() -> dict[str, str]:
    """Mutant name -> status, from mutmut."""
    out = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "mutmut"), "results", "--all", "true"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(re.findall(r"^\s*(\S+__mutmut_\d+): (.+)$", out, re.MULTILINE))


def module_of(mutant: str) -> str:
    """``sim.costs.x_week_costs__mutmut_3`` -> ``sim.costs``."""
    return re.split(r"\.x[_ǁ]", mutant, maxsplit=1)[0]


def main() -> int:
    """Print the table and the surviving mutants not explained as equivalent."""
    status = results()
    equivalent = equivalent_mutants()
    by_module: dict[str, Counter[str]] = defaultdict(Counter)
    unexplained = []
    for mutant, state in sorted(status.items()):
        counts = by_module[module_of(mutant)]
        counts["mutants"] += 1
        if mutant in equivalent:
            counts["equivalent"] += 1
        elif state == "not checked":  # a function changed since the last run: test again
            counts["not checked"] += 1
        elif state in KILLED:
            counts["killed"] += 1
        else:
            counts["surviving"] += 1
            unexplained.append(f"{mutant}: {state}")
    print("| module | mutants | killed | equivalent | surviving | not checked | score |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for module, c in sorted(by_module.items()):
        # Over the mutants tried and not shown equivalent.
        real = c["killed"] + c["surviving"]
        score = c["killed"] / real if real else 1.0
        print(
            f"| `{module}` | {c['mutants']} | {c['killed']} | {c['equivalent']} | "
            f"{c['surviving']} | {c['not checked']} | {score:.0%} |"
        )
    if unexplained:
        print("\nSurviving, not shown equivalent:")
        print("\n".join(f"  {line}" for line in unexplained))
    stale = equivalent - set(status)
    if stale:
        print("\nListed as equivalent but no longer a mutant:", *sorted(stale), sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
