"""The demo province (Tỉnh Thanh Hóa) that ``make demo`` loads, and a generator of large catalogs.

Data lives here as plain Python structures (``agencies``, ``fields``, ``laws``,
``catalog``, ``users``); ``loader`` writes them through the ORM and
``procedures.services``; ``generator`` makes synthetic catalogs for benchmarks.
Agency codes, national procedure codes other than the well-known ones and the
publishing decisions are illustrative, not copied from the national database.
"""

DEMO_PASSWORD = "Demo@2026"  # nosec B105 # the published password of the demo accounts (make demo only)
