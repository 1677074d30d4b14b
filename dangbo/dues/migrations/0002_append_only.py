"""Append-only dues payments: triggers refuse UPDATE and DELETE of dues_duespayment rows
outside the maintenance path (see core.0002 and dangbo/core/append_only.py)."""

from django.db import migrations


def _statements(vendor: str, *, drop: bool) -> list[str]:
    table = "dues_duespayment"
    if vendor == "postgresql":
        if drop:
            return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"]
        return [
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION dangbo_append_only()"
        ]
    if drop:
        return [f"DROP TRIGGER IF EXISTS {table}_append_only_{op}" for op in ("update", "delete")]
    return [
        f"CREATE TRIGGER {table}_append_only_{op.lower()} BEFORE {op} ON {table} "
        "WHEN NOT EXISTS (SELECT 1 FROM core_ledgermaintenance) "
        f"BEGIN SELECT RAISE(ABORT, 'dangbo_append_only: {op} of {table} refused'); END"
        for op in ("UPDATE", "DELETE")
    ]


def forwards(apps, schema_editor):
    for sql in _statements(schema_editor.connection.vendor, drop=False):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    for sql in _statements(schema_editor.connection.vendor, drop=True):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_append_only"),
        ("dues", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
