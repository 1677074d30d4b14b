"""The review report's number points at the register in the documents app (state only)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_issuednumber"),
        ("reports", "0002_issuednumber_table_to_documents"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="reviewreport",
                    name="number",
                    field=models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="report",
                        to="documents.issuednumber",
                    ),
                ),
                migrations.DeleteModel(name="IssuedNumber"),
            ],
            database_operations=[],
        ),
    ]
