"""``make bench``: every benchmark against the generated province, then ``docs/BENCHMARKS.md``.

    .venv/bin/python -m benchmarks.run                 # everything (fresh machine: ~1 h)
    .venv/bin/python -m benchmarks.run --only desk,kpi # re-run some, keep the others' last figures

Steps: create the database (``PROVINCE_DATABASE_URL``, default ``portal_province``), migrate,
``generate_province`` (skipped by the generator itself when the dossiers are there), the
busiest ward brought to 200,000 dossiers (``benchmarks.ensure_dossiers``, for the officers'
pages; nothing added when they are there), the report facts when they are missing
(``rollup_rebuild --all``), then each benchmark of
:data:`BENCHMARKS` in its own process with ``DATABASE_URL`` set to the province. Each one's
output is kept in ``var/bench/<key>.log`` and its figures in ``var/bench/results.json``;
``docs/BENCHMARKS.md`` is written from those (the section text is the script's own output,
its description the first paragraph of the script's docstring, the targets its
``TARGET`` lines — ``benchmarks/targets.py``). Nothing in that file is written by hand.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import io
import json
import os
import platform
import re
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from benchmarks.targets import parse  # noqa: E402

OUT_DIR = Path(os.environ.get("BENCH_OUT", BASE_DIR / "var" / "bench"))  # another one for a trial run
RESULTS = OUT_DIR / "results.json"
DOC = Path(os.environ.get("BENCH_DOC", BASE_DIR / "docs" / "BENCHMARKS.md"))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/portal_province"
PY = ".venv/bin/python"


@dataclass(frozen=True)
class Benchmark:
    key: str
    title: str
    command: tuple[str, ...]
    script: str  # whose docstring describes it
    timeout_min: int = 30


BENCHMARKS: tuple[Benchmark, ...] = (
    Benchmark("catalog", "Catalog search and procedure page", (PY, "benchmarks/catalog_server_time.py"),
              "benchmarks/catalog_server_time.py"),
    Benchmark("catalog_rps", "Procedure page against a bare view (requests per second)",
              ("benchmarks/catalog_rps.sh",), "benchmarks/catalog_rps.sh"),
    Benchmark("api", "REST API catalog", (PY, "benchmarks/api_server_time.py"), "benchmarks/api_server_time.py"),
    Benchmark("filing", "Submit with three 1 MB photos, and tracking", (PY, "benchmarks/filing_server_time.py"),
              "benchmarks/filing_server_time.py"),
    Benchmark("desk", "Officers' queue and dossier page", (PY, "benchmarks/desk_server_time.py"),
              "benchmarks/desk_server_time.py"),
    Benchmark("ipn", "VNPay IPN", (PY, "benchmarks/ipn_server_time.py"), "benchmarks/ipn_server_time.py"),
    Benchmark("reconcile", "Statement reconciliation", (PY, "benchmarks/statement_reconcile.py"),
              "benchmarks/statement_reconcile.py"),
    Benchmark("kpi", "Province-year KPI page", (PY, "benchmarks/kpi_server_time.py", "--province"),
              "benchmarks/kpi_server_time.py"),
    Benchmark("http", "Pages over HTTP under gunicorn", (PY, "benchmarks/http_server_time.py"),
              "benchmarks/http_server_time.py"),
    Benchmark("notifications", "Notification throughput", (PY, "benchmarks/notifications_throughput.py"),
              "benchmarks/notifications_throughput.py"),
    Benchmark("national", "National sync delay", (PY, "benchmarks/national_push_delay.py"),
              "benchmarks/national_push_delay.py"),
    Benchmark("worker_memory", "Celery worker memory over 10,000 tasks", (PY, "benchmarks/worker_memory.py"),
              "benchmarks/worker_memory.py"),
    Benchmark("load", "Load test: 300 users for 5 minutes", (PY, "benchmarks/load_test.py", "--users", "300",
              "--minutes", "5"), "benchmarks/load_test.py", timeout_min=15),
)  # fmt: skip


def sh(
    cmd: list[str] | tuple[str, ...], env: dict, log: Path | None = None, timeout: float | None = None
) -> tuple[int, str, float]:
    """Run ``cmd`` in the project; (exit code, stdout+stderr, seconds)."""
    started = time.monotonic()
    try:
        proc = subprocess.run(
            list(cmd), cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
        code, out = proc.returncode, proc.stdout + (("\n" + proc.stderr) if proc.returncode else "")
    except subprocess.TimeoutExpired as exc:
        code, out = 124, f"{exc.stdout or ''}\n(timed out after {timeout:.0f} s)"
        out = out if isinstance(out, str) else out.decode(errors="replace")
    seconds = time.monotonic() - started
    if log is not None:
        log.write_text(out)
    return code, out, seconds


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# --- the province ----------------------------------------------------------------------------------


def prepare(env: dict, url: str, busiest_target: int = 200_000, generate_args: str = "") -> dict:
    """Database, migrations, the generated province and its facts; what each step took."""
    name = url.rsplit("/", 1)[-1].split("?")[0]
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], capture_output=True, check=False)
    steps: dict = {}
    code, out, secs = sh([PY, "manage.py", "migrate", "--no-input", "-v0"], env)
    if code:
        raise SystemExit(f"migrate failed:\n{out}")
    code, out, secs = sh(
        [PY, "manage.py", "generate_province", *shlex.split(generate_args)], env, OUT_DIR / "generate.log"
    )
    if code:
        raise SystemExit(f"generate_province failed:\n{out}")
    generated_now = "already generated" not in out
    steps["generate"] = {"seconds": round(secs, 1), "output": out.strip(), "generated_now": generated_now}
    code, out, secs = sh(
        [PY, "-m", "benchmarks.ensure_dossiers", "--target", str(busiest_target)], env, OUT_DIR / "busiest_agency.log"
    )
    if code:
        raise SystemExit(f"benchmarks.ensure_dossiers failed:\n{out}")
    steps["busiest agency"] = {"seconds": round(secs, 1), "output": out.strip()[-1500:], "target": busiest_target}
    need_facts = psql(
        name, "select (select count(*) from reports_dossierfact) < (select count(*) from dossiers_dossier)"
    )
    if need_facts == "t":
        code, out, secs = sh([PY, "manage.py", "rollup_rebuild", "--all", "--workers", "2"], env, OUT_DIR / "facts.log")
        if code:
            raise SystemExit(f"rollup_rebuild failed:\n{out}")
        steps["facts"] = {"seconds": round(secs, 1), "output": out.strip()[-2000:], "built_now": True}
    else:
        steps["facts"] = {"built_now": False}
    steps["dataset"] = dataset(name)
    return steps


def psql(db: str, sql: str) -> str:
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", db, "-Atc", sql], capture_output=True, text=True, check=False
    )
    return out.stdout.strip()


DATASET_TABLES = (
    ("agencies", "procedures_agency"),
    ("procedures", "procedures_procedure"),
    ("accounts", "accounts_user"),
    ("dossiers", "dossiers_dossier"),
    ("history rows", "dossiers_statuschange"),
    ("documents", "dossiers_dossierdocument"),
    ("payment attempts", "payments_paymentattempt"),
    ("ratings", "feedback_rating"),
    ("report facts", "reports_dossierfact"),
)


def dataset(db: str) -> dict:
    counts = {}
    for label, table in DATASET_TABLES:
        value = psql(db, f"select count(*) from {table}")  # nosec B608 # table names from the driver's own DATASET_TABLES
        counts[label] = int(value) if value.isdigit() else None
    counts["database size"] = psql(db, f"select pg_size_pretty(pg_database_size('{db}'))")
    counts["dossiers per year"] = psql(
        db,
        "select string_agg(y || ': ' || n, ', ' order by y) from (select extract(year from submitted_at)::int y,"
        " count(*) n from dossiers_dossier where submitted_at is not null group by 1) t",
    )
    counts["online share per year"] = psql(
        db,
        "select string_agg(y || ': ' || p || ' %', ', ' order by y) from ("
        "select extract(year from submitted_at)::int y,"
        " round(100.0 * count(*) filter (where channel = 2) / count(*)) p from dossiers_dossier"
        " where submitted_at is not null group by 1) t",
    )
    return counts


# --- the machine -----------------------------------------------------------------------------------


def machine(env: dict) -> dict:
    def first(cmd: list[str]) -> str:
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=20, env=env, cwd=BASE_DIR)
            return (out.stdout or out.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return "not found"

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    db = DEFAULT_URL.rsplit("/", 1)[-1]
    distro = first(["sh", "-c", ". /etc/os-release; echo $PRETTY_NAME"])
    return {
        "CPU": f"{cpu}, {os.cpu_count()} cores",
        "memory": f"{mem_gb} GiB",
        "OS": f"{platform.system()} {platform.release()} ({distro})",
        "PostgreSQL": f"{psql(db, 'show server_version')} (shared_buffers {psql(db, 'show shared_buffers')}, "
        f"work_mem {psql(db, 'show work_mem')})",
        "Redis": first(["redis-server", "--version"]),
        "Python": platform.python_version(),
        "Django": first([PY, "-c", "import django; print(django.get_version())"]),
        "gunicorn": first([PY, "-m", "gunicorn", "--version"]),
        "locust": first([PY, "-m", "locust", "--version"]),
        "wrk": first(["sh", "-c", "wrk -v 2>&1 | head -n1"]),
    }


def git_commit() -> str:
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=BASE_DIR,
                           capture_output=True, text=True).stdout.strip()  # fmt: skip
    return out.stdout.strip() + (" (with uncommitted changes)" if dirty else "")


# --- the document ----------------------------------------------------------------------------------


def description(script: str) -> str:
    """The first paragraph of a script's docstring (or of its leading comment block)."""
    text = (BASE_DIR / script).read_text()
    if script.endswith(".py"):
        match = re.search(r'"""(.*?)"""', text, re.S)
        body = match.group(1) if match else ""
    else:
        body = "\n".join(
            line[2:] if line.startswith("# ") else ""
            for line in text.splitlines()[1:]
            if line.startswith("#") or not line.strip()
        )
    paragraph = body.strip().split("\n\n")[0]
    return " ".join(line.strip() for line in paragraph.splitlines())


def section_body(output: str) -> str:
    """A script's output as Markdown: its tables as they are, its ``# `` notes as text."""
    lines, out = output.strip().splitlines(), []
    for line in lines:
        if line.startswith("## "):
            out += ["", "#" + line, ""]  # sub-headings one level down
        elif line.startswith("# "):
            out.append(line[2:] + "  ")
        elif line.startswith("|"):
            if out and out[-1] and not out[-1].startswith("|"):
                out.append("")
            out.append(line)
        else:
            if out and out[-1].startswith("|") and line.strip():
                out.append("")
            out.append(line + ("  " if line.strip() and not line.startswith(("-", "```", " ")) else ""))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


def fmt(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"


def write_doc(results: dict) -> None:
    meta, runs = results["meta"], results["runs"]
    lines = [
        "# Benchmarks",
        "",
        f"**Written by `make bench`** (`.venv/bin/python -m benchmarks.run`) on {meta['finished']}, commit "
        f"`{meta['commit']}`. Do not edit by hand: change the scripts in `benchmarks/` and re-run. Every figure "
        "below is from that run, on the generated province below, with the command that produced it; "
        "`--only <key>,…` re-runs some benchmarks and keeps the others' last figures (their own run time is "
        "given with each). Earlier hand-written runs and how figures were brought down: "
        "[PERFORMANCE_HISTORY.md](PERFORMANCE_HISTORY.md).",
        "",
        "## Machine",
        "",
        *[f"- **{k}**: {v}" for k, v in meta["machine"].items()],
        "",
        "Settings: `benchmarks.settings` (the portal's settings with DEBUG off and quiet logging). The machine "
        "may be shared: the load average before and after each benchmark is given with it.",
        "",
        "## Dataset: the generated province",
        "",
    ]
    ds = meta["prepare"]["dataset"]
    lines += [f"- **{k}**: {fmt(v) if isinstance(v, int) else v}" for k, v in ds.items()]
    gen = meta["prepare"]["generate"]
    lines += [
        "",
        "```sh",
        "createdb -h 127.0.0.1 -U postgres portal_province",
        "export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_province",
        ".venv/bin/python manage.py migrate && .venv/bin/python manage.py generate_province",
        ".venv/bin/python -m benchmarks.ensure_dossiers",
        ".venv/bin/python manage.py rollup_rebuild --all --workers 2",
        "```",
        "",
    ]
    gen_targets = meta.get("prepare_targets", [])
    if gen.get("generated_now"):
        lines += [
            f"Generated by `make bench` in {gen['seconds'] / 60:.1f} min (the generator's own step times):",
            "",
            "```",
            gen["output"],
            "```",
            "",
        ]
    else:
        lines += ["The province was already generated when this run started (the generator leaves it as it is).", ""]
    busiest = meta["prepare"].get("busiest agency")
    if busiest:
        lines += [
            "On top of it, for the officers' pages, the busiest ward (UBND phường Hạc Thành) gets "
            f"{busiest.get('target', 200_000):,} more dossiers with their full workflow records (history, documents, "
            "issued forms, supplements, results, hand-overs, transfers), and five other agencies a few thousand "
            f"(`.venv/bin/python -m benchmarks.ensure_dossiers`, {busiest['seconds']:.0f} s; "
            "nothing is added when the ward has them):",
            "",
            "```",
            busiest["output"],
            "```",
            "",
        ]
    facts = meta["prepare"]["facts"]
    if facts.get("built_now"):
        lines += [
            f"Report facts and rollups built from the dossiers (`rollup_rebuild --all --workers 2`) in "
            f"{facts['seconds'] / 60:.1f} min.",
            "",
        ]

    all_targets = list(gen_targets)
    for bench in BENCHMARKS:
        run = runs.get(bench.key)
        for t in (run or {}).get("targets", []):
            all_targets.append(t | {"section": bench.key})
    lines += ["## Targets", "", "| Target | Figure | Goal | Verdict | Benchmark |", "|---|---:|---:|---|---|"]
    for t in all_targets:
        sign = "≥" if t["higher_is_better"] else "≤"
        section = t.get("section")
        where = f"[{section}](#{section})" if section else "dataset"
        lines.append(
            f"| {t['name']} | {fmt(t['value'])} {t['unit']} | {sign} {fmt(t['goal'])} {t['unit']} | "
            f"{'met' if t['met'] else '**not met**'} | {where} |"
        )
    missing = [b.key for b in BENCHMARKS if b.key not in runs or runs[b.key]["exit"] != 0]
    lines += [""]
    if missing:
        lines += [f"Benchmarks that failed or did not run: {', '.join(missing)} (their sections say why).", ""]
    lines += [
        "Checked by the test suite instead (counts, not timings): the query count of each main page and "
        "operation, constant as an agency grows (`tests/portal/test_query_counts.py`), and the newcomer's path "
        "home → search → file online in at most 12 interactions with pages under 100 KB "
        "(`tests/e2e/test_filing_journey.py`). Query counts per page are also in the sections below.",
        "",
    ]
    not_met = [t for t in all_targets if not t["met"]]
    lines += ["## Not met, and what limits them", ""]
    if not_met:
        lines += [
            f"- **{t['name']}** ({fmt(t['value'])} {t['unit']}): {t['limit'] or 'see its section'}" for t in not_met
        ]
    else:
        lines += ["Every target is met."]
    lines.append("")
    for bench in BENCHMARKS:
        run = runs.get(bench.key)
        lines += [f'<a id="{bench.key}"></a>', "", f"## {bench.title}", ""]
        lines += [description(bench.script), ""]
        lines += ["```sh", f"DATABASE_URL={DEFAULT_URL} {shlex.join(bench.command)}", "```", ""]
        if run is None:
            lines += ["Not run yet.", ""]
            continue
        lines += [
            f"Run {run['started']}, {run['seconds']:.0f} s, load average {run['load_before']} before, "
            f"{run['load_after']} after; exit code {run['exit']}.",
            "",
            section_body(run["body"]),
            "",
        ]
    DOC.write_text("\n".join(lines).rstrip() + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="comma-separated keys: " + ",".join(b.key for b in BENCHMARKS))
    parser.add_argument("--doc-only", action="store_true", help="rewrite docs/BENCHMARKS.md from the last results")
    parser.add_argument("--prepare-only", action="store_true", help="create and fill the province, run nothing")
    parser.add_argument("--busiest-target", type=int, default=200_000, help="dossiers of the busiest ward")
    parser.add_argument(
        "--generate-args", default="", help="sizes for generate_province of a trial province, e.g. '--dossiers 60000'"
    )
    args = parser.parse_args()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {"meta": {}, "runs": {}}
    if args.doc_only:
        write_doc(results)
        return 0
    keys = [b.key for b in BENCHMARKS]
    chosen = keys if not args.only else [k.strip() for k in args.only.split(",")]
    unknown = set(chosen) - set(keys)
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(sorted(unknown))}; known: {', '.join(keys)}")

    url = os.environ.get("PROVINCE_DATABASE_URL", DEFAULT_URL)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "benchmarks.settings", "PYTHONUNBUFFERED": "1"}
    env.pop("REDIS_URL", None)  # each benchmark chooses its own (some use Redis database 12)
    started = datetime.datetime.now(datetime.UTC)
    print(f"preparing the province ({url}) …", flush=True)
    prep = prepare(env, url, args.busiest_target, args.generate_args)
    earlier = results["meta"].get("prepare", {})
    # A step that had nothing to do keeps the figures of the run that did it.
    if not prep["generate"]["generated_now"] and earlier.get("generate", {}).get("generated_now"):
        prep["generate"] = earlier["generate"]
    if not prep["facts"].get("built_now") and earlier.get("facts", {}).get("built_now"):
        prep["facts"] = earlier["facts"]
    if "nothing to add" in prep["busiest agency"]["output"] and "busiest agency" in earlier:
        prep["busiest agency"] = earlier["busiest agency"] | {"dataset_now": prep["busiest agency"]["output"]}
    prep_targets = results["meta"].get("prepare_targets", [])
    if prep["generate"]["generated_now"] and prep["generate"] is not earlier.get("generate"):
        from benchmarks.targets import target

        verdict = io.StringIO()
        with contextlib.redirect_stdout(verdict):
            made = re.search(r"dossiers: (\d+) dossiers", prep["generate"]["output"])
            made = int(made.group(1)) if made else prep["dataset"]["dossiers"]
            target(f"generate_province, {made:,} dossiers",
                   round(prep["generate"]["seconds"] / 60, 1), 15, "min",
                   limit="the INSERT … SELECT statements run on one core each; see the step times")  # fmt: skip
        print(verdict.getvalue(), end="")
        prep_targets = parse(verdict.getvalue())[0]
    results["meta"].update(
        {
            "started": started.strftime("%Y-%m-%d %H:%M UTC"),
            "machine": machine(env),
            "prepare": prep,
            "prepare_targets": prep_targets,
        }
    )
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    if args.prepare_only:
        print(json.dumps(prep["dataset"], ensure_ascii=False, indent=1))
        return 0
    for bench in BENCHMARKS:
        if bench.key not in chosen:
            continue
        print(f"{bench.key}: {shlex.join(bench.command)} …", flush=True)
        load_before = load_average()
        run_started = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
        code, out, secs = sh(bench.command, env, OUT_DIR / f"{bench.key}.log", timeout=bench.timeout_min * 60)
        targets, body = parse(out)
        results["runs"][bench.key] = {
            "started": run_started,
            "seconds": round(secs, 1),
            "exit": code,
            "load_before": load_before,
            "load_after": load_average(),
            "targets": targets,
            "body": body if code == 0 else body[-6000:],
        }
        verdicts = ", ".join(f"{t['name']} {'met' if t['met'] else 'NOT met'}" for t in targets)
        print(f"  exit {code} in {secs:.0f} s; {verdicts or 'no target'}", flush=True)
        RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    results["meta"]["finished"] = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    results["meta"]["commit"] = git_commit()
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    write_doc(results)
    print(f"wrote {DOC}")
    return 0 if all(results["runs"].get(k, {}).get("exit") == 0 for k in chosen) else 1


if __name__ == "__main__":
    sys.exit(main())
