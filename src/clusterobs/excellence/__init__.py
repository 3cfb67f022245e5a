"""Cluster management excellence: self-benchmarking against reference groups, and quality labels
with a lifecycle (application, assessors, decision, validity, renewal). See docs/excellence.md."""
