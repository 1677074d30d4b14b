"""Person: the folded search text and the Vietnamese sort key (see membership.search).

Existing rows are filled from their names. On PostgreSQL a trigram index on the folded
text serves the register's word search (`LIKE '%word%'`); it needs the pg_trgm extension
(trusted since PostgreSQL 13, so the database owner may create it). Without it the search
still works, by scanning.
"""

from django.db import DatabaseError, migrations, models, transaction

from dangbo.membership.search import search_columns

BATCH = 2000


def fill(apps, schema_editor):
    person = apps.get_model("membership", "Person")
    rows = person.objects.using(schema_editor.connection.alias).order_by("pk")
    last = 0
    while True:
        chunk = list(rows.filter(pk__gt=last).only("pk", "full_name")[:BATCH])
        if not chunk:
            return
        for p in chunk:
            p.search_text, p.sort_key = search_columns(p.full_name)
        person.objects.bulk_update(chunk, ["search_text", "sort_key"])
        last = chunk[-1].pk


def trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS person_search_trgm ON membership_person "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS person_search_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("membership", "0004_event_proposals"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="search_text",
            field=models.CharField(blank=True, default="", editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name="person",
            name="sort_key",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["sort_key", "id"], name="person_sort_key"),
        ),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
