"""Host coordinators, the host's change requests and the placements awaiting the host in the admin."""
