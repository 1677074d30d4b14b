"""The register of issued numbers (IssuedNumber) now belongs to the documents app.

State only: the table was renamed by ``reports.0002``; the model, its unique numbering
constraint and the document's link to it are declared here without touching the data.
The content type row, when present, follows the model.
"""

import django.db.models.deletion
from django.db import migrations, models


def _content_type(apps, schema_editor, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    if ContentType.objects.filter(app_label=new, model="issuednumber").exists():
        return
    ContentType.objects.filter(app_label=old, model="issuednumber").update(app_label=new)


def forwards(apps, schema_editor) -> None:
    _content_type(apps, schema_editor, "reports", "documents")


def backwards(apps, schema_editor) -> None:
    _content_type(apps, schema_editor, "documents", "reports")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("documents", "0001_initial"),
        ("organizations", "0003_terms"),
        ("reports", "0002_issuednumber_table_to_documents"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="IssuedNumber",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("type_code", models.CharField(max_length=8, verbose_name="loại văn bản")),
                        ("number", models.PositiveIntegerField()),
                        ("text", models.CharField(max_length=40, verbose_name="số, ký hiệu")),
                        ("issued_on", models.DateField()),
                        ("title", models.CharField(max_length=300, verbose_name="trích yếu")),
                        ("actor", models.CharField(max_length=150)),
                        ("recorded_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "issuer",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="organizations.organization",
                            ),
                        ),
                        (
                            "term",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="numbers",
                                to="organizations.term",
                            ),
                        ),
                    ],
                    options={
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("issuer", "term", "type_code", "number"),
                                name="number_once_per_type_and_term",
                            )
                        ],
                    },
                ),
                migrations.AlterField(
                    model_name="document",
                    name="issued_number",
                    field=models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="document",
                        to="documents.issuednumber",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards, elidable=True),
    ]
