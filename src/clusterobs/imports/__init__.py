"""Reading tabular files (CSV, XLSX, JSON) and reporting row-level errors.

Framework-free: used by the registry importers and by the analytics core alike.
"""
