"""The register of issued numbers moves to the documents app: first its table is renamed.

The model stays in this app's state until ``documents.0002`` takes it over; only the
table name changes here (``reports_issuednumber`` → ``documents_issuednumber``, in the
state too, so a foreign key created by a later migration points at the renamed table),
and every number given out so far is kept.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="issuednumber", table="documents_issuednumber"),
    ]
