"""False-discovery-rate control for the many local tests of a hot-spot map.

A LISA or Gi* map runs one test per region (3,100 for U.S. counties); at a 5 % level about 155
counties would look "significant" by chance alone. We control the false discovery rate with the
**Benjamini-Hochberg** (1995) step-up procedure (valid for independent or positively dependent
tests, which is the usual assumption for local spatial statistics; Caldas de Castro & Singer 2006
recommend it for LISA maps):

    sort the m p-values p_(1) <= ... <= p_(m); q_(i) = min_{j >= i} min(1, m p_(j) / j);
    region i is significant at level alpha when q_i <= alpha.

``q`` is the BH-adjusted p-value (what ``statsmodels.stats.multitest.multipletests`` calls
``fdr_bh``); we compute it with statsmodels. ``esda.fdr`` returns the same cut-off as a p-value
threshold; the adjusted values are more useful on a map because they can be shown per region.
Regions without a test (islands, missing p-values) are left out of ``m`` and get no q-value.
"""

from __future__ import annotations

import numpy as np

METHOD = "Benjamini-Hochberg (1995) false discovery rate, BH-adjusted p-values (q)"


def benjamini_hochberg(p_values: np.ndarray) -> np.ndarray:
    """BH-adjusted p-values; NaN stays NaN and is not counted among the tests."""
    from statsmodels.stats.multitest import multipletests

    p = np.asarray(p_values, dtype="float64")
    q = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    if ok.any():
        q[ok] = multipletests(p[ok], method="fdr_bh")[1]
    return q
