"""Benchmarks: `python -m medtour.bench import` (see docs/reporting-pipeline.md, "Speed")."""
