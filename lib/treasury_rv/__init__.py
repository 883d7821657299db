"""Analytics behind *Treasury Relative Value*: bonds, repo leverage, futures basis and swap spreads.

Units, everywhere in the package: prices per 100 face; rates and yields as decimals (0.0425);
spreads in basis points with a ``_bp`` suffix; dates as :class:`datetime.date`; money in dollars.
"""

__version__ = "0.1.0"
