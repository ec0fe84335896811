"""Nominations import: a department's spreadsheet in, every problem named, nothing half-written.

reading.py turns uploaded bytes into a table (or refuses the file), plan.py checks every row against the
database without writing and says what each row will do, services.py stores uploads and applies a plan
through the same services the admin uses, files.py writes the template and the error report."""
