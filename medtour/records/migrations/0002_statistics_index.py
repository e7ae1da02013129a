"""An index for the statistics work that costs almost nothing to keep up during bulk imports.

PostgreSQL gets a BRIN index: records arrive a submission (one institution, one period) at a
time, so year, district and submission are physically clustered and a block-range summary
finds them; a B-tree on these columns would slow every million-row import several-fold.
SQLite has no BRIN: it gets a plain B-tree on (year, district).
"""

from django.db import migrations

NAME = "records_patientrecord_stats"


def create(apps, schema_editor):
    table = schema_editor.quote_name("records_patientrecord")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {NAME} ON {table} USING brin "
            "(year, district_id, nationality_id, department_id, submission_id)"
        )
    else:
        schema_editor.execute(f"CREATE INDEX {NAME} ON {table} (year, district_id)")


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
