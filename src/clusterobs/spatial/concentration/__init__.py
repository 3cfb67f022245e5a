"""Concentration indices of an industry or cluster over regions, and specialisation of regions.

One statistic per module, each a class whose constructor computes:

* :mod:`.herfindahl` - Herfindahl index of the regional shares;
* :mod:`.gini` - Gini coefficient of the regional shares, and the locational Gini of LQs;
* :mod:`.ellison_glaeser` - Ellison-Glaeser (1997) gamma, concentration net of plant lumpiness;
* :mod:`.maurel_sedillot` - Maurel-Sedillot (1999) gamma;
* :mod:`.plant_herfindahl` - the plant Herfindahl both gammas need (from plants, from size
  classes, or the stated equal-size approximation);
* :mod:`.krugman` - Krugman (1991) specialisation index of a region;
* :mod:`.table` - all of them per cluster (and per region) for a published mapping result.

Checked against the documented examples of the R package REAT (Wieland 2019) in
``tests/spatial/test_concentration.py``.
"""
