from django.db import migrations

from core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("participants", "0002_reference_data"),
        ("placements", "0002_reference_data"),
    ]
    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
