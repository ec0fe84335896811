"""CSB staff's admin for the selection: calls, nominations and the selection page (calls.py); host
coordinators, change requests and the placements awaiting the host (hosting.py); the nominations import
(selection/imports/admin.py)."""

from ..imports import admin as imports_admin  # noqa: F401  (registers the nominations import)
from . import calls, hosting  # noqa: F401  (registers the ModelAdmins)
