"""Statistics: counting rules, the analytics engine, targets, forecasts, briefings, open data."""
