"""The natural key leads with the pseudonym, so that it also serves the statistics refresh,
which loads every episode of the people a new submission touches (docs/statistics.md): one
B-tree instead of two, since each B-tree costs about 2 s of database CPU per million imported
rows. Records reach COPY sorted by pseudonym, so the index still grows in runs.

Lookups by institution (the importer's existing records, institution-scoped statistics) lose
the natural key's leading column: on PostgreSQL the statistics BRIN index gains
`institution_id` (a submission is one institution, so its rows are physically together and a
block-range summary finds them at no import cost); SQLite, which has no BRIN, gets a B-tree on
(institution, first visit).
"""

from django.db import migrations, models

STATS_INDEX = "records_patientrecord_stats"
INSTITUTION_INDEX = "records_record_institution"
OLD_BRIN = "(year, district_id, nationality_id, department_id, submission_id)"
NEW_BRIN = "(year, district_id, nationality_id, department_id, submission_id, institution_id)"


def _brin(schema_editor, columns: str) -> None:
    table = schema_editor.quote_name("records_patientrecord")
    schema_editor.execute(f"DROP INDEX IF EXISTS {STATS_INDEX}")
    schema_editor.execute(f"CREATE INDEX {STATS_INDEX} ON {table} USING brin {columns}")


def institution_lookups(apps, schema_editor):
    table = schema_editor.quote_name("records_patientrecord")
    # An index of an earlier draft of this migration, if a database still has it.
    schema_editor.execute("DROP INDEX IF EXISTS records_record_pseudonym")
    if schema_editor.connection.vendor == "postgresql":
        _brin(schema_editor, NEW_BRIN)
    else:
        schema_editor.execute(
            f"CREATE INDEX {INSTITUTION_INDEX} ON {table} (institution_id, first_visit)"
        )


def undo_institution_lookups(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _brin(schema_editor, OLD_BRIN)
    else:
        schema_editor.execute(f"DROP INDEX IF EXISTS {INSTITUTION_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("records", "0002_statistics_index")]

    operations = [
        migrations.RemoveConstraint(model_name="patientrecord", name="record_natural_key"),
        migrations.AddConstraint(
            model_name="patientrecord",
            constraint=models.UniqueConstraint(
                fields=("pseudonym", "institution", "department", "first_visit"),
                name="record_natural_key",
                violation_error_message="This institution has already reported this patient "
                "in this department with this first treatment date.",
            ),
        ),
        migrations.RunPython(institution_lookups, undo_institution_lookups),
    ]
