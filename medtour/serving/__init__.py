"""Running Medtour in production: health check, request ids, structured logs.

See docs/deployment.md.
"""
