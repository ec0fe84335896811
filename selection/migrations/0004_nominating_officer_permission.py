from django.db import migrations

from core.roles import sync_roles


class Migration(migrations.Migration):
    """Nominating officers hold selection.add_nomination: the navigation shows them their nominations."""

    dependencies = [("selection", "0002_roles")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
