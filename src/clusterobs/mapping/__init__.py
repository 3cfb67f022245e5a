"""The statistical cluster mapping engine (no Django).

Entry point for notebooks and the CLI: :func:`clusterobs.mapping.pipeline.build`. One statistic
per module, each docstring stating the formula, its source and the conventions used.
"""
