"""Benchmarks of evalkg against its peers and the physical floor (see docs/benchmarks.md)."""
