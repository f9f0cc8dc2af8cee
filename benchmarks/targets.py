"""The verdict lines every benchmark prints for its targets, read back by ``benchmarks.run``.

A benchmark calls :func:`target` once per figure the issue sets a target for. It prints the
human line (``… p95 12.3 ms (target ≤ 25 ms): met``) and a machine line
``TARGET {json}`` that ``python -m benchmarks.run`` collects into the summary table of
``docs/BENCHMARKS.md`` (and leaves out of the section text). ``limit`` says, for a target
not met, what limits the figure — from what the benchmark itself measured.
"""

from __future__ import annotations

import json

PREFIX = "TARGET "


def target(
    name: str,
    value: float,
    goal: float,
    unit: str = "ms",
    *,
    higher_is_better: bool = False,
    limit: str = "",
    detail: str = "",
) -> bool:
    """Print the verdict for one target; returns whether it is met."""
    met = value >= goal if higher_is_better else value <= goal
    sign = "≥" if higher_is_better else "≤"
    print(f"{name}: {value:g} {unit} (target {sign} {goal:g} {unit}): {'met' if met else 'NOT met'}")
    if limit and not met:
        print(f"  what limits it: {limit}")
    record = {
        "name": name,
        "value": value,
        "goal": goal,
        "unit": unit,
        "higher_is_better": higher_is_better,
        "met": met,
        "limit": limit if not met else "",
        "detail": detail,
    }
    print(PREFIX + json.dumps(record, ensure_ascii=False), flush=True)
    return met


def parse(output: str) -> tuple[list[dict], str]:
    """(target records, the output without the machine lines)."""
    records, kept = [], []
    for line in output.splitlines():
        if line.startswith(PREFIX):
            records.append(json.loads(line[len(PREFIX) :]))
        else:
            kept.append(line)
    return records, "\n".join(kept)
