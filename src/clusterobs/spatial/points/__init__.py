"""Point-pattern localisation on establishment points: Duranton-Overman Kd and Marcon-Puech M.

* :mod:`.pointset` - reading a point file (lon/lat, industry, optional weight), validated;
* :mod:`.industries` - matching an industry code across classification vintages;
* :mod:`.pairs` - pair distances with a KD-tree (exact) or pair counts per distance bin;
* :mod:`.bandwidth` - Silverman's rule of thumb as R's ``bw.nrd0``;
* :mod:`.kernel` - the reflected Gaussian kernel density of pair distances;
* :mod:`.kd` - Kd with its simulated confidence bands and localisation/dispersion indices;
* :mod:`.envelope` - local and global bands from simulations (``dbmss`` conventions);
* :mod:`.mfunction` - the M function (option);
* :mod:`.output` - writing and reading a published Kd result.
"""
