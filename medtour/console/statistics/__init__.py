"""Statistics dashboards and the table explorer (docs/dashboards.md)."""
