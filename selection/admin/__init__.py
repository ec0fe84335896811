"""CSB staff's admin for the selection: calls, nominations and the selection page (calls.py); host
coordinators, change requests and the placements awaiting the host (hosting.py)."""

from . import calls, hosting  # noqa: F401  (registers the ModelAdmins)
