"""Industry code systems, their hierarchies and vintages, and crosswalks between them.

Imported once from official files (``clusterobs classifications import``) into Parquet under the
data directory, then read by the mapping engine; nothing here reads shared folders at run time.
"""

from clusterobs.classifications.store import (
    KNOWN_CLASSIFICATIONS,
    ClassificationStore,
    import_classifications,
)

__all__ = ["KNOWN_CLASSIFICATIONS", "ClassificationStore", "import_classifications"]
