"""Server time of the API's public catalog: search (GET /api/v1/procedures/?q=...) and a
procedure's full record (GET /api/v1/procedures/<code>/), plus the record answered 304 to
a client that sends its ETag back.

Measured as ``catalog_server_time.py`` measures the pages: in-process through
``django.test.Client`` (URL resolution, every middleware, authentication, throttling, the
queries, JSON rendering, the ETag), ``close_old_connections()`` between requests, fixed
queries plus procedure codes sampled with a fixed seed, interleaved rounds. Throttling stays
on (in the local-memory cache, as without REDIS_URL) with a rate the run cannot reach.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_province \
        .venv/bin/python benchmarks/api_server_time.py [--rounds 100] [--codes 50]
"""

import argparse
import os
import platform
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from benchmarks.stats import summary  # noqa: E402
from benchmarks.targets import target  # noqa: E402

LIST_P95_TARGET_MS = 25.0  # as the catalog search page
RECORD_P95_TARGET_MS = 15.0  # as the procedure page


def searches(field_slug: str) -> list[tuple[str, str]]:
    return [
        ("no diacritics: giay phep lai xe", "/api/v1/procedures/?q=giay+phep+lai+xe"),
        ("diacritics: đăng ký khai sinh", "/api/v1/procedures/?q=%C4%91%C4%83ng+k%C3%BD+khai+sinh"),
        ("typo -> trigram: giay fep xay dung", "/api/v1/procedures/?q=giay+fep+xay+dung"),
        ("filter only: level=4", "/api/v1/procedures/?level=4"),
        (
            "combined: q + level + tier + field",
            f"/api/v1/procedures/?q=dang+ky&level=3&tier=province&field={field_slug}",
        ),
        ("browse all, page 2", "/api/v1/procedures/?page=2"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--codes", type=int, default=50)
    parser.add_argument("--records-per-round", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20260101)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    for name in ("API_RATE_ANON", "API_RATE_USER"):
        os.environ[name] = "100000000/min"
    import django

    django.setup()
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from benchmarks.sample import current_codes, sample_codes
    from procedures.selectors import fields_with_counts

    all_codes = current_codes()
    codes = sample_codes(args.codes, args.seed)
    field = fields_with_counts().order_by("-procedure_count", "slug").values_list("slug", flat=True).first() or ""
    scenarios = searches(field)
    records = [f"/api/v1/procedures/{code}/" for code in codes]
    client = Client()
    etags: dict[str, str] = {}

    def get(url: str, **headers) -> tuple[float, object]:
        close_old_connections()
        start = time.perf_counter()
        response = client.get(url, **headers)
        elapsed = time.perf_counter() - start
        if response.status_code not in (200, 304):
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        return elapsed, response

    list_samples: dict[str, list[float]] = {url: [] for _, url in scenarios}
    record_samples: list[float] = []
    not_modified: list[float] = []
    cursor = 0
    for round_no in range(args.warmup + args.rounds):
        timed = round_no >= args.warmup
        for _, url in scenarios:
            elapsed, _ = get(url)
            if timed:
                list_samples[url].append(elapsed)
        for _ in range(args.records_per_round):
            url = records[cursor % len(records)]
            cursor += 1
            elapsed, response = get(url)
            etags[url] = response["ETag"]
            if timed:
                record_samples.append(elapsed)
            elapsed, response = get(url, HTTP_IF_NONE_MATCH=etags[url])
            assert response.status_code == 304
            if timed:
                not_modified.append(elapsed)

    queries = {}
    for url in [u for _, u in scenarios] + records[:5]:
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        queries[url] = len(ctx.captured_queries)

    pg = connection.cursor().connection.server_version
    print(
        f"# API catalog server time — {len(all_codes)} current procedures, PostgreSQL {pg // 10000}, "
        f"Python {platform.python_version()}, Django {django.get_version()}, {os.cpu_count()} cores"
    )
    print(f"# {args.rounds} timed rounds after {args.warmup} warm-up; {args.codes} records sampled (seed {args.seed})")
    print(f"# load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print()
    print("| Scenario | URL | Queries | n | p50 ms | p95 ms | max ms |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for label, url in scenarios:
        st = summary(list_samples[url])
        print(f"| {label} | `{url}` | {queries[url]} | {st['n']} | {st['p50_ms']} | {st['p95_ms']} | {st['max_ms']} |")
    all_lists = summary([s for v in list_samples.values() for s in v])
    rec = summary(record_samples)
    nm = summary(not_modified)
    rq = sorted({queries[u] for u in records[:5]})
    rows = (
        ("**catalog list, all**", "", "", all_lists),
        ("**procedure record**", "`/api/v1/procedures/<code>/`", f"{rq[0]}–{rq[-1]}", rec),
        ("procedure record, `If-None-Match` → 304", "", f"{rq[0]}–{rq[-1]}", nm),
    )
    for label, url, n_queries, st in rows:
        print(f"| {label} | {url} | {n_queries} | {st['n']} | {st['p50_ms']} | {st['p95_ms']} | {st['max_ms']} |")
    print()
    for label, st, goal in (
        ("API catalog list p95 (as the search page)", all_lists, LIST_P95_TARGET_MS),
        ("API procedure record p95 (as the procedure page)", rec, RECORD_P95_TARGET_MS),
    ):
        target(
            label,
            st["p95_ms"],
            goal,
            limit="a communal procedure's record lists every commune implementing it (about 90 on the province), "
            "serialised in Python from its queries each time; the page keeps its rendered body, the API does not",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
