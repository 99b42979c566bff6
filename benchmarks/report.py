#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Write the figures of a benchmark run into docs/performance.md.

Reads the JSON files of ``bench_scale.py``, ``bench_background.py`` and
``bench_city_import.py`` and
replaces the part of the page between ``<!-- bench:begin -->`` and
``<!-- bench:end -->`` with tables of the figures, each checked against the
budget; the rest of the page (analysis, fixes, before / after) is
written by hand and kept.
"""

import argparse
import json
import re
from pathlib import Path

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
MAX_RATIO = 1.2  # items 1 and 2: at most 1.2 times Odoo's own time

# (item, label) -> how its budget is checked: a function of (row, item's rows)
# returning (budget text, held or not), or None when the row has no budget.


def _ratio(row, _rows):
    if "ratio" not in row:
        return None
    return f"≤ {MAX_RATIO}× Odoo", row["ratio"] <= MAX_RATIO


def _constant_page(row, _rows):
    counts = list((row["addon"].get("by_size") or {}).values())
    return "queries not growing with the leads", max(counts) <= counts[0]


def _per_event(row, rows):
    label = next((name for name in rows if name.startswith("create 100 ")), None)
    if label is None or "addon" not in row:
        return None
    small = rows[label]["addon"]["queries_median"] / 100
    big = row["addon"]["queries_median"] / 1000
    return "queries per event not growing", big <= small


def _conversion_one(row, _rows):
    return "≤ 250 queries", row["addon"]["queries_median"] <= 250


def _conversion_batch(row, _rows):
    speed = 1000 / row["addon"]["median"]
    return f"≥ 50 leads/s ({speed:.0f})", speed >= 50


def _mass_update(row, rows):
    small = rows.get("mass update wizard: salesperson and team of 1,000 leads")
    grew = (
        row["addon"]["queries_median"] - small["addon"]["queries_median"]
        if small
        else 0
    )
    return (
        f"≤ 5 s, < 10 more queries than for 1,000 ({grew:+.0f})",
        row["addon"]["median"] <= 5 and grew < 10,
    )


def _pipeline(row, _rows):
    return "≤ 1 s", row["addon"]["median"] <= 1


BUDGETS = {
    "lead list: first page of 80 and count": _ratio,
    "lead kanban: web_read_group (counts, 40 cards per column)": _ratio,
    "lead kanban with the progress bars the web client reads": _ratio,
    "lead list: queries of one page over 1,000 / 10,000 / all leads": _constant_page,
    "lead form (web_read) with 200 events": _ratio,
    "create 1,000 events on 1,000 leads": _per_event,
    "convert one lead (new company, contact, opportunity)": _conversion_one,
    "convert 1,000 leads in one batch": _conversion_batch,
    "mass update wizard: salesperson and team of 10,000 leads": _mass_update,
    "leads (all): action_open_opportunities": _pipeline,
    "partners (all): action_open_opportunities": _pipeline,
}
# bench_scale.SAMPLES: the list, the kanban and the form are timed 7 times a run.
SAMPLED_ITEMS = ("1", "2")
SAMPLED_NOTE = " The list, the kanban and the form: 7 samples in each run."
TITLES = {
    "1": "1. Lead list and kanban (100,000 leads)",
    "2": "2. Lead form with 200 events",
    "3": "3. Events and their last / next dates",
    "4": "4. Conversion",
    "5": "5. Mass update",
    "7": "7. Pipeline tracking",
}


def _cell(row, name):
    if name not in row:
        return "–"
    figures = row[name]
    return f"{figures['median'] * 1000:,.0f} ms, {figures['queries_median']:.0f} q"


def scale_section(data):
    machine = data["machine"]
    load = machine.get("load_average_before", [0])[0]
    lines = [
        "## At scale: the add-on against Odoo alone",
        "",
        f"On {machine['node']} ({machine['cpus']} CPUs, {machine['platform']}, "
        f"Python {machine['python']}); databases `{data['databases']['addon']}` "
        f"and `{data['databases']['odoo']}`, measured alternately in the same "
        'process; each figure is the median of the runs. "q": SQL queries.',
        "",
    ]
    measured = data.get("measured", {})
    for item, rows in data["items"].items():
        run = measured.get(item) or {
            "date": data["date"],
            "repeat": data["repeat"],
            "load_average_before": load,
        }
        lines += [
            f"### {TITLES.get(item, item)}",
            "",
            f"Measured {run['date'].replace('T', ' ')}, median of {run['repeat']} "
            f"runs, load average {run['load_average_before']:.1f} at the start."
            + (SAMPLED_NOTE if item in SAMPLED_ITEMS else ""),
            "",
            "| measure | crm_prospection | Odoo alone | ratio | budget | held |",
            "|---|---|---|---|---|---|",
        ]
        for label, row in rows.items():
            check = BUDGETS.get(label)
            verdict = check(row, rows) if check else None
            budget, held = verdict if verdict else ("", None)
            ratio = f"{row['ratio']:.3f}" if "ratio" in row else ""
            mark = {True: "yes", False: "**no**", None: ""}[held]
            extra = row.get("addon", {})
            details = []
            if "by_size" in extra:
                details.append(" / ".join(f"{n} q" for n in extra["by_size"].values()))
            if "recomputed" in extra:
                details.append(
                    "recomputed: "
                    + ", ".join(f"{n} {m}" for m, n in extra["recomputed"].items())
                )
            if "leads_per_second" in extra:
                details.append(f"{extra['leads_per_second']:.0f} leads/s")
            label_text = label + (f" ({'; '.join(details)})" if details else "")
            lines.append(
                f"| {label_text} | {_cell(row, 'addon')} | {_cell(row, 'odoo')} "
                f"| {ratio} | {budget} | {mark} |"
            )
        lines.append("")
    return lines


def city_section(data):
    machine = data["machine"]
    lines = [
        "## City import (GEO-2)",
        "",
        f"Run of {data['date']} on {machine['node']} ({machine['cpus']} CPUs). "
        f"`{data['country']}.txt`: {data['lines']:,} lines, uploaded and imported "
        "at once, each import in its own transaction rolled back afterwards: "
        "set-based is the OCA's wizard as users run it, crm.city.import the same "
        "import under the add-on's technical name, OCA row by row the OCA's own "
        "import path, which its wizard ran before (from an archive served on the "
        "loopback interface).",
        "",
        "| importer | file | first import | same file again | cities | zips "
        "| peak memory growth |",
        "|---|---|---|---|---|---|---|",
    ]
    for run in data["runs"]:
        seconds = run["seconds"]
        first = f"{'> ' if run['stopped'] else ''}{seconds[0]:.1f} s"
        again = f"{seconds[1]:.1f} s" if len(seconds) > 1 else "–"
        lines.append(
            f"| {run['label']} | {run['file']} | {first} | {again} "
            f"| {run['cities'] if run['cities'] is not None else '–'} "
            f"| {run['zips'] if run['zips'] is not None else '–'}"
            + (
                " | – |"
                if run["stopped"]
                else f" | {run['peak_rss_growth_mb']:.0f} MB |"
            )
        )
    ours = {r["file"]: r for r in data["runs"] if r["label"] == "set-based"}
    oca = {r["file"]: r for r in data["runs"] if r["label"] == "OCA row by row"}
    lines.append("")
    if data.get("note"):
        lines += [data["note"], ""]
    direct = ours.get(data["country"])
    if direct:
        first = direct["seconds"][0]
        slow = oca.get(data["country"], {}).get("seconds", [0])[0]
        lines.append(
            f"- {data['country']}.txt imported at once in {first:.1f} s (budget: "
            f"≤ 1.5 s: {'held' if first <= 1.5 else '**missed**'})"
            + (
                f"; the OCA's own path takes {slow / first:.0f}× as long"
                if slow
                else ""
            )
            + "."
        )
    for key in ("background", "background_unzipped"):
        big = data.get(key)
        if not big:
            continue
        batches = big["batches_s"]
        upload = (
            f"uploaded as `{big['file']}` ({big['upload_mb']:.0f} MB in base64)"
            if "file" in big
            else "uploaded"
        )
        lines.append(
            f"- The big file ({data.get('big_lines', 0):,} lines, the real rows "
            f"repeated under new postal codes), {upload}: the wizard queued a job "
            f"of {big['parts']} parts and answered in "
            f"{big['wizard_answer_s']:.1f} s; the batches took {sum(batches):.1f} s "
            f"in all, the longest {max(batches):.1f} s; peak memory growth "
            f"{big['peak_rss_growth_mb']:.0f} MB (the upload itself included)."
        )
    if direct and "insert_floor_s" in direct:
        floor = direct["insert_floor_s"]
        lines.append(
            f"- PostgreSQL's own insert of the rows that import created (its "
            f"cities and zips, deleted then inserted again by two bare `INSERT` "
            f"statements into Odoo's tables, with their indexes and foreign keys) "
            f"took {floor:.1f} s: the floor of any import of this file here; the "
            f"import took {direct['seconds'][0] / floor:.2f}× that."
        )
    lines.append("")
    return lines


def background_section(data):
    """Background jobs: each figure against Odoo's floor measured in the same run."""
    machine = data["machine"]
    load = machine.get("load_average_before", [0])[0]
    lines = [
        "## Background jobs (LEAD-8, CONV-6)",
        "",
        f"Run of {data['date']} on {machine['node']} ({machine['cpus']} CPUs, load "
        f"average {load:.1f} at the start): the wizard queues the job, then the "
        "scheduled action works through it batch after batch, each batch committed.",
        "",
        "| job | records | Odoo's floor | wizard answer | job | ratio | budget | |",
        "|---|---|---|---|---|---|---|---|",
    ]
    update = data.get("mass_update")
    if update:
        held = update["ratio"] <= 1.5
        lines.append(
            f"| mass update (salesperson, team) | {update['leads']:,} "
            f"| bare write {update['bare_write_s']:.1f} s "
            f"| {update['wizard_answered_s']:.2f} s "
            f"| {update['job_run_s']:.1f} s in {update['job']['batches']} batches, "
            f"longest {update['job']['longest_batch_s']:.1f} s "
            f"| {update['ratio']:.2f}× | ≤ 1.5× | {'held' if held else '**missed**'} |"
        )
    conversion = data.get("conversion")
    if conversion:
        held = conversion["ratio"] >= 0.9
        lines.append(
            f"| conversion (company, contact, opportunity) | {conversion['leads']:,} "
            f"| Odoo's creates {conversion['odoo_creates_leads_per_s']:.1f} leads/s "
            f"| {conversion['wizard_answered_s']:.2f} s "
            f"| {conversion['job_run_s']:.1f} s in {conversion['job']['batches']} "
            f"batches, longest {conversion['job']['longest_batch_s']:.1f} s, "
            f"{conversion['job_leads_per_s']:.1f} leads/s "
            f"| {conversion['ratio']:.2f}× | ≥ 0.9× | "
            f"{'held' if held else '**missed**'} |"
        )
    lines.append("")
    tracked = data.get("tracked_write")
    if update and tracked and "bare_write_s" in tracked:
        bare = tracked["bare_write_s"]
        lines.append(
            f"- On {tracked['leads']:,} of the leads, in the same run: Odoo's own "
            f"write of the same values with its tracking (a note per lead, logged "
            f"one by one) took {tracked['seconds'] / bare:.1f}× its bare write "
            f"({tracked['seconds']:.1f} s against {bare:.1f} s); the bare write "
            "plus one empty note per lead logged in one batch (mail's "
            "`_message_log_batch`), the least any audit trail through the ORM "
            f"costs, took {tracked['bare_write_and_notes_s'] / bare:.1f}×. The "
            "job logs Odoo's notes with their tracking values in one batch per "
            f"batch of leads: {update['ratio']:.2f}× the bare write in all."
        )
    if update:
        answer, longest = update["wizard_answered_s"], update["job"]["longest_batch_s"]
        lines.append(
            f"- The mass update's wizard answered in {answer:.2f} s (budget ≤ 1 s: "
            f"{'held' if answer <= 1 else '**missed**'}); its longest batch took "
            f"{longest:.1f} s (budget ≤ 30 s: "
            f"{'held' if longest <= 30 else '**missed**'})."
        )
        lines.append(
            f"- Opening the mass update on {update['leads']:,} leads (the wizard "
            f"created with its leads, Odoo's many2many) took "
            f"{update['wizard_created_s']:.1f} s before the answer above."
        )
    for name, job in (("mass update", update), ("conversion", conversion)):
        if job:
            counts = ", ".join(f"{key} {value}" for key, value in job["job"].items())
            lines.append(f"- The {name} job at its end: {counts}.")
    lines.append("")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale")
    parser.add_argument("--background")
    parser.add_argument("--city")
    parser.add_argument("--output", required=True)
    args = parser.parse_args()
    generated = []
    sections = (
        (args.scale, scale_section),
        (args.background, background_section),
        (args.city, city_section),
    )
    for path, section in sections:
        if path and Path(path).exists():
            generated += section(json.loads(Path(path).read_text()))
    output = Path(args.output)
    page = output.read_text() if output.exists() else "# Performance\n\n"
    block = "\n".join([BEGIN, *generated, END])
    if BEGIN in page:
        page = re.sub(
            re.escape(BEGIN) + ".*?" + re.escape(END),
            lambda _match: block,
            page,
            flags=re.S,
        )
    else:
        page = page.rstrip("\n") + "\n\n" + block + "\n"
    output.write_text(page)
    print(f"{output}: figures written")


if __name__ == "__main__":
    main()
