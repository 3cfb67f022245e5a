"""Embedded real data: compact copies of public datasets that ship with the package.

Why: a user has only the repository. ``clusterobs init`` publishes ready observatories from these
files, the classifications load without a separate import, and the tests run without anything
beside the checkout. Each folder has a ``SOURCE.md`` with the original source, its licence and
the transformation; :data:`clusterobs.data.catalog.CATALOG` lists every file
(``clusterobs data list``).
"""
