"""Where a catalog page's server time goes: SQL, ORM/view Python, template rendering.

For each URL, after a warm-up, runs ``--n`` requests in-process and splits the
mean time into
  * sql       time inside cursor.execute (the database round trips),
  * template  time inside Template.render, minus the SQL run from the template
              (lazy querysets such as the version history),
  * other     the rest: the view's Python (query building i.e. SQL compilation,
              model instantiation, prefetch joining, pagination) plus the
              framework (middleware, URL resolution, test client), whose share is
              shown by the bare view's row (framework + one tiny query).
With ``--cprofile`` it also prints the top functions by own time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \
        .venv/bin/python benchmarks/profile_pages.py [--n 200] [--cprofile] [URL ...]
"""

import argparse
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("urls", nargs="*", help="default: 5 sampled procedure pages and 3 searches")
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--cprofile", action="store_true")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    import django

    django.setup()
    from django.db import close_old_connections, connection
    from django.template.backends.django import Template
    from django.test import Client

    from benchmarks.sample import sample_codes

    urls = args.urls or [
        *(f"/thu-tuc/{code}/" for code in sample_codes(5)),
        "/thu-tuc/?q=giay+phep+lai+xe",
        "/thu-tuc/?q=giay+fep+xay+dung",
        "/thu-tuc/?level=4",
    ]
    clock = {"sql": 0.0, "render": 0.0, "sql_in_render": 0.0}
    in_render = [False]

    def timed_sql(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - start
            clock["sql"] += spent
            if in_render[0]:
                clock["sql_in_render"] += spent

    original_render = Template.render

    def timed_render(self, context=None, request=None):
        in_render[0] = True
        start = time.perf_counter()
        try:
            return original_render(self, context, request)
        finally:
            clock["render"] += time.perf_counter() - start
            in_render[0] = False

    Template.render = timed_render
    client = Client()
    print("| URL | total ms | sql ms | template ms | other ms |")
    print("|---|---:|---:|---:|---:|")
    profiler = None
    if args.cprofile:
        import cProfile

        profiler = cProfile.Profile()
    for url in urls:
        for _ in range(20):
            client.get(url)
        for key in clock:
            clock[key] = 0.0
        total = 0.0
        with connection.execute_wrapper(timed_sql):
            for _ in range(args.n):
                close_old_connections()
                start = time.perf_counter()
                if profiler:
                    profiler.enable()
                response = client.get(url)
                if profiler:
                    profiler.disable()
                total += time.perf_counter() - start
                assert response.status_code == 200, (url, response.status_code)
        n = args.n
        template = clock["render"] - clock["sql_in_render"]
        other = total - clock["sql"] - template
        print(
            f"| `{url}` | {total / n * 1000:.2f} | {clock['sql'] / n * 1000:.2f} | "
            f"{template / n * 1000:.2f} | {other / n * 1000:.2f} |"
        )
    Template.render = original_render

    # Framework share: the bare view (middleware, URL resolution, one tiny query).
    code = sample_codes(1)[0]
    bare = f"/_bench/bare/{code}/"
    for _ in range(20):
        client.get(bare)
    start = time.perf_counter()
    for _ in range(args.n):
        close_old_connections()
        client.get(bare)
    print(f"| `{bare}` (framework + 1 query) | {(time.perf_counter() - start) / args.n * 1000:.2f} | | | |")

    if profiler:
        import pstats

        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
