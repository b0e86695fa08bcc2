"""The data.police.uk import: forces, neighbourhoods, boundaries, teams, events and priorities
from files in the data.police.uk JSON format (`manage.py import_policeuk`). `policeuk` writes
them; `policeuk_parsing` turns those files' records into the portal's values. Boundaries that
changed have their postcodes placed again (neighbourhoods.postcodes.postcodes_relocate).

The management command only parses its arguments and prints the report the import returns.
"""
