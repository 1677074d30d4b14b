"""Append-only audit rows: the maintenance flag table and the triggers on core_auditentry.

The PostgreSQL function ``dangbo_append_only()`` is shared by every append-only table
(membership.0002 uses it too). SQLite drops a table's triggers when a migration rebuilds
the table; tests/test_append_only.py checks that they are all still there.
"""

from django.db import migrations, models

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION dangbo_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM core_ledgermaintenance) THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'dangbo_append_only: % of % refused', TG_OP, TG_TABLE_NAME;
END
$$
"""


def triggers(table: str, vendor: str) -> list[str]:
    """The statements that make `table` refuse UPDATE and DELETE outside maintenance."""
    if vendor == "postgresql":
        return [
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION dangbo_append_only()"
        ]
    return [
        f"CREATE TRIGGER {table}_append_only_{op.lower()} BEFORE {op} ON {table} "
        "WHEN NOT EXISTS (SELECT 1 FROM core_ledgermaintenance) "
        f"BEGIN SELECT RAISE(ABORT, 'dangbo_append_only: {op} of {table} refused'); END"
        for op in ("UPDATE", "DELETE")
    ]


def drop_triggers(table: str, vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"]
    return [f"DROP TRIGGER IF EXISTS {table}_append_only_{op}" for op in ("update", "delete")]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION, params=None)  # its % are PL/pgSQL placeholders
    for sql in triggers("core_auditentry", vendor):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in drop_triggers("core_auditentry", vendor):
        schema_editor.execute(sql)
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS dangbo_append_only()")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="LedgerMaintenance",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("reason", models.CharField(max_length=200)),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
