#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The scale-out run's figures (``var/scale_out/result.json``) as Markdown tables,
for ``docs/performance.md`` and ``docs/deploy.md``.

    python3 benchmarks/scale_out/report.py [result.json]
"""

import json
import sys
from pathlib import Path

RESULT = Path(__file__).resolve().parent.parent.parent / "var/scale_out/result.json"
SIDE_BY_SIDE = ("list", "kanban", "form", "search")


def ms(value):
    return "–" if value is None else f"{value:,.0f}"


def phase_table(phase):
    lines = [
        "| request | count | errors | p50 ms | p95 ms | queries (median) |",
        "|---|---|---|---|---|---|",
    ]
    queries = phase.get("queries", {})
    for kind, figures in phase["kinds"].items():
        lines.append(
            f"| {kind} | {figures['count']} | {figures['errors']} | "
            f"{ms(figures['p50_ms'])} | {ms(figures['p95_ms'])} | "
            f"{queries.get(kind, '–')} |"
        )
    return "\n".join(lines)


def ratios(phase):
    lines = [
        "| view | add-on p50 | Odoo alone p50 | ratio | add-on p95 | Odoo p95 |",
        "|---|---|---|---|---|---|",
    ]
    kinds = phase["kinds"]
    for view in SIDE_BY_SIDE:
        addon, odoo = kinds.get(f"{view}/addon"), kinds.get(f"{view}/odoo")
        if not addon or not odoo or not odoo["p50_ms"]:
            continue
        lines.append(
            f"| {view} | {ms(addon['p50_ms'])} | {ms(odoo['p50_ms'])} | "
            f"{addon['p50_ms'] / odoo['p50_ms']:.2f}× | {ms(addon['p95_ms'])} | "
            f"{ms(odoo['p95_ms'])} |"
        )
    return "\n".join(lines)


def summary(result):
    rows = [
        "| | with the replica | primary only |",
        "|---|---|---|",
    ]
    replica, primary = result["replica"], result["primary"]

    def row(label, function):
        rows.append(f"| {label} | {function(replica)} | {function(primary)} |")

    row("requests (16 clients)", lambda p: f"{p['requests']:,} in {p['duration_s']} s")
    row("requests per second", lambda p: p["requests_per_s"])
    row("errors", lambda p: p["errors"])
    row(
        "read statements: primary / replica",
        lambda p: (
            f"{p['statements']['primary']['reads']:,} / "
            f"{p['statements']['replica']['reads']:,}"
        ),
    )
    row(
        "share of reads on the replica",
        lambda p: f"{100 * p['replica_read_share']:.0f} %",
    )
    row(
        "requests by cursor (ro / rw / ro→rw)",
        lambda p: " / ".join(
            str(p["cursor_modes"].get(mode, 0)) for mode in ("ro", "rw", "ro->rw")
        ),
    )
    row(
        "background jobs: queued, audit",
        lambda p: f"{len(p['jobs'])}, {'ok' if p['audit']['ok'] else 'FAILED'}",
    )
    row(
        "conversions: made, converted once",
        lambda p: (
            f"{p['audit']['conversions']['converted']}, "
            f"{'yes' if not p['audit']['conversions'].get('converted_twice') else 'NO'}"
        ),
    )
    return "\n".join(rows)


def constant_queries(result):
    queries = result.get("queries")
    if not queries:
        return ""
    small, top = min(result["levels"]), max(result["levels"])
    lines = [
        f"| request | queries at {small:,} leads | at {top:,} leads |",
        "|---|---|---|",
    ]
    for kind in sorted(set(queries["small"]) | set(queries["top"])):
        lines.append(
            f"| {kind} | {queries['small'].get(kind, '–')} | "
            f"{queries['top'].get(kind, '–')} |"
        )
    return "\n".join(lines)


def main():
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else RESULT
    result = json.loads(path.read_text())
    print("## Summary\n")
    print(summary(result))
    for tag in ("replica", "primary"):
        print(f"\n## Phase '{tag}'\n")
        print(phase_table(result[tag]))
        print()
        print(ratios(result[tag]))
    if "alone" in result:
        print("\n## One client alone\n")
        print(phase_table(result["alone"]))
        print()
        print(ratios(result["alone"]))
    print("\n## Queries, level against level\n")
    print(constant_queries(result))
    print("\n## Generation (s)\n")
    print(json.dumps(result["generation_s"]), json.dumps(result.get("sizes", {})))


if __name__ == "__main__":
    main()
