"""Economic complexity, relatedness density and diversification opportunities.

A plain Python library (no Django): long tables in, long tables out. One statistic per module,
each with its formula, source paper and conventions in the docstring:

* :mod:`.matrix` -- region x industry matrices per region type and year;
* :mod:`.rca` -- RCA (the location quotient on total employment) and presence ``M``;
* :mod:`.diversity_ubiquity` -- diversity and ubiquity;
* :mod:`.eci` -- ECI and PCI (eigenvector form of the method of reflections);
* :mod:`.fitness` -- fitness and complexity (Tacchella et al. 2012), an option;
* :mod:`.proximity` -- proximity from the data (Hidalgo et al. 2007) or from a given table;
* :mod:`.density` -- relatedness density;
* :mod:`.outlook` -- complexity outlook index and gain (Hausmann et al. 2014);
* :mod:`.opportunities` -- ranked opportunities with reasons; smart-specialisation check;
* :mod:`.compute` -- all of the above for a panel; :mod:`.inputs` and :mod:`.outputs` -- from
  the canonical employment table (imputed like the mapping engine) to Parquet files.
"""

from clusterobs.complexity.compute import (
    ComplexityOptions,
    ComplexityResult,
    compute_complexity,
    compute_matrices,
)

__all__ = ["ComplexityOptions", "ComplexityResult", "compute_complexity", "compute_matrices"]
