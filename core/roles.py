"""The portal's roles as Django groups, with the model permissions each needs.

Object-level scoping (a coordinator sees only the batches they coordinate; a participant only their own
placements) is done by the selectors' querysets; these permissions say what kind of thing a role may do.
Migrations call `sync_roles` whenever models are added, so production databases stay in step."""

from django.contrib.auth.management import create_permissions

CSB_STAFF = "CSB staff"
COORDINATOR = "Coordinator"
PARTICIPANT = "Participant"
# Scoped by their profiles (selection.NominatingOfficer, selection.HostCoordinator) to their own
# departments or host organisations; they work on the portal's pages, not in the admin.
NOMINATING_OFFICER = "Nominating officer"
HOST_COORDINATOR = "Host coordinator"

_FULL = ("add", "change", "delete", "view")

ROLE_PERMISSIONS = {
    CSB_STAFF: {
        "participants": {
            "department": _FULL,
            "departmentformername": _FULL,
            "grade": _FULL,
            "rank": _FULL,
            "officer": _FULL,
        },
        "placements": {
            "municipality": _FULL,
            "hostarea": _FULL,
            "hostorganisation": _FULL,
            "focusarea": _FULL,
            "programme": _FULL,
            "agreement": _FULL,
            "batch": (*_FULL, "export_roster"),
            "placement": _FULL,
            "rosterexport": ("view",),
            "contactsheetaccess": ("view",),
            "checklistitem": _FULL,
            "checklistcompletion": _FULL,
            "exchangereport": _FULL,
            "notice": _FULL,
            "calendarfeed": ("view", "delete"),
            "nominationimport": ("add", "view"),
            "documentrequirement": _FULL,
            "document": ("view", "change"),
            "documentaccess": ("view",),
            # Every e-mail sent, and the undelivered ones to send again.
            "outgoingemail": ("view", "change"),
            "remindersent": ("view",),
        },
        "selection": {
            "nominatingofficer": _FULL,
            "hostcoordinator": _FULL,
            "call": _FULL,
            "callinvitation": _FULL,
            "callhostplaces": _FULL,
            "nomination": _FULL,
            "hostchangerequest": ("view", "change"),
        },
        "auth": {"user": ("add", "change", "view")},
        # Sign-ins, failed sign-ins and lockouts (django-axes); deleting an access attempt unlocks.
        "axes": {"accessattempt": ("view", "delete"), "accesslog": ("view",), "accessfailurelog": ("view",)},
    },
    COORDINATOR: {
        "participants": {"officer": ("view",)},
        "placements": {
            "batch": ("view", "export_roster"),
            "placement": ("view",),
            # The participant portal: set their batches' checklists, see progress, read reports.
            "checklistitem": _FULL,
            "checklistcompletion": ("view",),
            "exchangereport": ("view",),
            # Documents: set their batches' requirements, review (accept or return) what is handed in.
            "documentrequirement": _FULL,
            "document": ("view", "change"),
        },
    },
    PARTICIPANT: {},
    # Not an admin permission (they are not staff): what the navigation shows them, read from the
    # request's cached permissions instead of a query for the profile on every page.
    NOMINATING_OFFICER: {"selection": {"nomination": ("add",)}},
    HOST_COORDINATOR: {},
}


def sync_roles(apps, schema_editor=None):
    """Create the groups and give each exactly the permissions listed above (a data-migration step)."""
    # Permissions are normally created after migrate finishes; create them now so the groups can use them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, grants in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for app_label, models in grants.items():
            for model, actions in models.items():
                if not _model_exists(apps, app_label, model):
                    continue  # added by a later migration, which calls sync_roles again
                for action in actions:
                    codename = action if action == "export_roster" else f"{action}_{model}"
                    permission = Permission.objects.filter(
                        content_type__app_label=app_label, codename=codename
                    ).first()
                    # None for a model a later migration adds; that migration calls sync_roles again.
                    if permission is not None:
                        wanted.append(permission)
        group.permissions.set(wanted)


def _model_exists(apps, app_label, model):
    """Whether `model` exists in the migration state `apps` (older migrations call sync_roles too)."""
    try:
        apps.get_model(app_label, model)
    except LookupError:
        return False
    return True
