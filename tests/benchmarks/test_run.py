"""``make bench`` writes docs/BENCHMARKS.md itself: the verdict lines, the summary, the
"not met" list with what limits each figure, and a section per benchmark."""

import json

from benchmarks import run, targets


def test_a_target_prints_its_verdict_and_a_line_the_driver_reads(capsys):
    assert targets.target("procedure page p95", 4.7, 15) is True
    assert targets.target("load test p95", 2100.0, 300, limit="CPU: 12.8 ms per request") is False
    assert targets.target("rps ratio", 46.1, 40, "%", higher_is_better=True) is True
    out = capsys.readouterr().out
    assert "procedure page p95: 4.7 ms (target ≤ 15 ms): met" in out
    assert "load test p95: 2100 ms (target ≤ 300 ms): NOT met" in out
    assert "what limits it: CPU: 12.8 ms per request" in out
    records, rest = targets.parse(out)
    assert [r["name"] for r in records] == ["procedure page p95", "load test p95", "rps ratio"]
    assert records[1]["met"] is False and records[1]["limit"] == "CPU: 12.8 ms per request"
    assert records[0]["limit"] == ""  # a met target has nothing limiting it
    assert "TARGET " not in rest and "rps ratio: 46.1 % (target ≥ 40 %): met" in rest


def _results() -> dict:
    return {
        "meta": {
            "started": "2026-12-01 13:00 UTC",
            "finished": "2026-12-01 14:00 UTC",
            "commit": "abc1234",
            "machine": {"CPU": "Test CPU, 2 cores", "memory": "24 GiB"},
            "prepare": {
                "generate": {"seconds": 390.0, "output": "  dossiers: 2000000 dossiers (300 s)", "generated_now": True},
                "busiest agency": {"seconds": 200.0, "output": "dossiers: hacthanh 200,000"},
                "facts": {"built_now": True, "seconds": 800.0},
                "dataset": {"dossiers": 2_000_000, "database size": "20 GB"},
            },
            "prepare_targets": [
                {"name": "generate_province", "value": 6.5, "goal": 15, "unit": "min", "higher_is_better": False,
                 "met": True, "limit": "", "detail": ""},
            ],
        },
        "runs": {
            "catalog": {
                "started": "2026-12-01 13:10 UTC", "seconds": 60.0, "exit": 0, "load_before": "0.10 0.20 0.30",
                "load_after": "1.00 0.80 0.50",
                "targets": [{"name": "catalog search p95", "value": 14.0, "goal": 25, "unit": "ms",
                             "higher_is_better": False, "met": True, "limit": "", "detail": ""}],
                "body": "# Catalog — 2000 procedures\n| a | b |\n|---|---|\n| 1 | 2 |\n## Sub\ntext line",
            },
            "load": {
                "started": "2026-12-01 13:30 UTC", "seconds": 330.0, "exit": 0, "load_before": "0.5 0.5 0.5",
                "load_after": "2 2 2",
                "targets": [{"name": "load test p95, 300 users", "value": 2100.0, "goal": 300, "unit": "ms",
                             "higher_is_better": False, "met": False, "limit": "CPU: 12.8 ms per request",
                             "detail": ""}],
                "body": "| request | p95 |\n|---|---:|\n| all | 2100 |",
            },
            "http": {"started": "x", "seconds": 1.0, "exit": 1, "load_before": "0", "load_after": "0",
                     "targets": [], "body": "Traceback: gunicorn did not start"},
        },
    }  # fmt: skip


def test_the_document_has_every_figure_the_verdicts_and_what_limits_the_misses(tmp_path, monkeypatch):
    doc = tmp_path / "BENCHMARKS.md"
    monkeypatch.setattr(run, "DOC", doc)
    run.write_doc(_results())
    text = doc.read_text()
    assert text.startswith("# Benchmarks\n")
    assert "**Written by `make bench`**" in text and "commit `abc1234`" in text
    assert "- **CPU**: Test CPU, 2 cores" in text
    assert "| catalog search p95 | 14 ms | ≤ 25 ms | met | [catalog](#catalog) |" in text
    assert "| load test p95, 300 users | 2,100 ms | ≤ 300 ms | **not met** | [load](#load) |" in text
    assert "| generate_province | 6.5 min | ≤ 15 min | met | dataset |" in text
    not_met = text.split("## Not met, and what limits them", 1)[1].split("\n## ", 1)[0]
    assert "**load test p95, 300 users** (2,100 ms): CPU: 12.8 ms per request" in not_met
    assert "catalog search" not in not_met
    # The failed benchmark is named, and its section keeps the error.
    assert "failed or did not run: " in text and "http" in text.split("failed or did not run: ", 1)[1].split("\n")[0]
    assert "Traceback: gunicorn did not start" in text
    # Each section: the script's own description, the command, the run, the output as Markdown.
    catalog = text.split('<a id="catalog"></a>', 1)[1].split("<a id=", 1)[0]
    assert "Server time of the public catalog" in catalog
    assert "benchmarks/catalog_server_time.py" in catalog
    assert "load average 0.10 0.20 0.30 before" in catalog
    assert "\n| a | b |\n|---|---|\n| 1 | 2 |\n" in catalog
    assert "### Sub" in catalog
    assert "Not run yet." in text  # the benchmarks without results
    assert "Generated in this run in 6.5 min" in text


def test_every_benchmark_in_the_driver_is_a_script_that_reports_its_targets():
    for bench in run.BENCHMARKS:
        script = run.BASE_DIR / bench.script
        assert script.exists(), bench.script
        source = script.read_text()
        assert run.description(bench.script), f"{bench.script} has no description"
        if bench.key not in ("notifications", "national"):  # figures without a target in the issues
            assert "target(" in source or "TARGET " in source, f"{bench.script} reports no target"
    keys = [b.key for b in run.BENCHMARKS]
    assert len(keys) == len(set(keys))


def test_only_keeps_the_other_benchmarks_figures_and_refuses_unknown_keys(tmp_path, monkeypatch, capsys):
    import pytest

    monkeypatch.setattr(run, "OUT_DIR", tmp_path)
    monkeypatch.setattr(run, "RESULTS", tmp_path / "results.json")
    monkeypatch.setattr(run, "DOC", tmp_path / "BENCHMARKS.md")
    (tmp_path / "results.json").write_text(json.dumps(_results()))
    monkeypatch.setattr("sys.argv", ["run", "--only", "catalog,nonsense"])
    with pytest.raises(SystemExit):
        run.main()
    assert "unknown benchmark(s) nonsense" in capsys.readouterr().err
    monkeypatch.setattr("sys.argv", ["run", "--doc-only"])
    assert run.main() == 0
    assert "CPU: 12.8 ms per request" in (tmp_path / "BENCHMARKS.md").read_text()
