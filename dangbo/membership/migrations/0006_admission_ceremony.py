"""The start of the probation on the member projection (the admission ceremony, recorded in
the admission event's details; histories without it start on the decision date)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("membership", "0005_person_search_columns"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="probation_from",
            field=models.DateField(blank=True, null=True, verbose_name="ngày bắt đầu dự bị"),
        ),
        # no history recorded a ceremony before: the probation started on the decision date
        migrations.RunSQL(
            "UPDATE membership_member SET probation_from = last_admitted_on",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
