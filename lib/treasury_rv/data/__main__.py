"""``python -m treasury_rv.data fetch``: see :mod:`treasury_rv.data.fetch`."""

from treasury_rv.data.fetch import main

raise SystemExit(main())
