"""Cluster definitions: which detailed industry belongs to which cluster and sub-cluster.

The canonical form is a CSV with columns ``industry_code, cluster_code, cluster_name,
subcluster_code, subcluster_name, traded_local`` plus a declared classification (e.g.
``NAICS2007``). Adapters convert the published U.S. Cluster Mapping files to that form.
"""

from clusterobs.definitions.model import DEFINITION_COLUMNS, ClusterDefinition, custom_definition
from clusterobs.definitions.reader import load_definition

__all__ = ["DEFINITION_COLUMNS", "ClusterDefinition", "custom_definition", "load_definition"]
