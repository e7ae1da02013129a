"""The fictional demo registry: calibration, vocabulary and the generator (docs/institutions.md)."""
