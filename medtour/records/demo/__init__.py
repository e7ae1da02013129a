"""The calibrated Seoul demo records: synthetic patient episodes whose totals match what was
published (docs/demo-data.md). `seeding.seed_demo` is the one write path."""
