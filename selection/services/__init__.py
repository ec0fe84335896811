"""Every write of the selection, one module per step: calls (CSB), nominations (departments and the
officer's consent), decisions (CSB's selection) and hosting (the host side's answer). Import from the
module: `from selection.services.decisions import nomination_select`."""
