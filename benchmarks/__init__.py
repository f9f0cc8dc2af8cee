"""Benchmarks of the public catalog (see benchmarks/README.md and docs/BENCHMARKS.md).

Nothing here is imported by the portal itself: the bare comparison view lives only
in ``benchmarks.urls``, which only ``benchmarks.settings`` uses.
"""
