"""Calls, nominations, nominating officers and the selection page in the admin."""
