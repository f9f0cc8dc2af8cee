"""The deterministic sample of procedure codes every benchmark uses.

    DATABASE_URL=... .venv/bin/python -m benchmarks.sample [--codes 50] [--seed 20260101]

prints one code per line (used by catalog_rps.sh for wrk's path list).
"""

import argparse
import os
import random
import sys

DEFAULT_CODES = 50
DEFAULT_SEED = 20260101


def current_codes() -> list[str]:
    from procedures.models import Procedure

    current = Procedure.objects.filter(versions__is_current=True).order_by("national_code")
    return list(current.values_list("national_code", flat=True))


def sample_codes(count: int = DEFAULT_CODES, seed: int = DEFAULT_SEED) -> list[str]:
    codes = current_codes()
    if len(codes) < count:
        raise SystemExit(f"only {len(codes)} current procedures; seed the catalog first (make bench)")
    return random.Random(seed).sample(codes, count)


def main() -> None:
    parser = argparse.ArgumentParser(description="Print the benchmark's sample of procedure codes.")
    parser.add_argument("--codes", type=int, default=DEFAULT_CODES)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    import django

    django.setup()
    sys.stdout.write("\n".join(sample_codes(args.codes, args.seed)) + "\n")


if __name__ == "__main__":
    main()
