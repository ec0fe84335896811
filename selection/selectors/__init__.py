"""The selection's reads, one module per audience; access scoping is a queryset filter, so what a user
may not see is simply not found."""
