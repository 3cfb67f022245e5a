"""Funding rules engine (framework-free) and its data files."""
