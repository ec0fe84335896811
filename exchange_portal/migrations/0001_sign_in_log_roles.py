from django.db import migrations

from core.roles import sync_roles


class Migration(migrations.Migration):
    """CSB staff see sign-ins, failed sign-ins and lockouts (django-axes) and can reset lockouts."""

    dependencies = [
        ("axes", "0010_accessattemptexpiration"),
        ("participants", "0003_audit_history"),
        ("placements", "0007_calendar_feed"),
    ]
    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
