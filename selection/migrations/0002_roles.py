from django.db import migrations

from core.roles import sync_roles


class Migration(migrations.Migration):
    """The nominating officer and host coordinator groups, and CSB staff's permissions on the selection."""

    dependencies = [
        ("selection", "0001_calls_and_nominations"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
