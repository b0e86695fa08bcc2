"""Bulk imports of reference data, one module per source.

- `policeuk`: forces, neighbourhoods, boundaries, teams, events and priorities from files in the
  data.police.uk JSON format (`manage.py import_policeuk`); `policeuk_parsing` turns those
  files' records into the portal's values.
- `postcodes`: the ONS Postcode Directory CSV (`manage.py import_postcodes`), and placing the
  postcodes again when boundaries change (`postcodes_relocate`: after `import_policeuk`, and in
  the `neighbourhoods.tasks.relocate_postcodes` task).

The management commands only parse their arguments and print the reports these services return.
"""
