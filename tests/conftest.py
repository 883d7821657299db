"""Shared test settings: hypothesis checks correctness, not speed.

Speed is measured in ``benchmarks/``; a per-example deadline would fail a correct test on a
loaded machine, so no property test has one.
"""

from hypothesis import settings

settings.register_profile("book", deadline=None)
settings.load_profile("book")
