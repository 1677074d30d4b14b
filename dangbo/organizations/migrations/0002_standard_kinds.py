from django.db import migrations

KINDS = [
    # code, name, holds_members, is_base, rank
    ("trung_uong", "Trung ương", False, False, 0),
    ("tinh", "Đảng bộ tỉnh, thành phố trực thuộc Trung ương", False, False, 1),
    ("huyen", "Đảng bộ quận, huyện, thị xã, thành phố thuộc tỉnh", False, False, 2),
    ("xa", "Đảng bộ xã, phường, đặc khu", False, False, 3),
    ("co_so", "Đảng bộ cơ sở", False, True, 4),
    ("bo_phan", "Đảng bộ bộ phận", False, False, 5),
    ("chi_bo_co_so", "Chi bộ cơ sở", True, True, 6),
    ("chi_bo", "Chi bộ trực thuộc", True, False, 7),
]


def add_kinds(apps, schema_editor):
    OrgKind = apps.get_model("organizations", "OrgKind")
    for code, name, holds, is_base, rank in KINDS:
        OrgKind.objects.update_or_create(
            code=code,
            defaults={"name": name, "holds_members": holds, "is_base": is_base, "rank": rank},
        )


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]
    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]
