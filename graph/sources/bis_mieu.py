"""The BIS Military-Intelligence End User (MIEU) list (OpenSanctions' CSV of it).

Columns: ``Type, Name, Alias, Country, Topics, Program, Date, End date, Source URL``. One
export-control measure per date, imposed by the Bureau of Industry and Security.

Examples
--------
>>> from pathlib import Path
>>> [batch] = BISMIEUReader().read(Path("data/lists/opensanctions_us_bis_mieu.csv"), Path("data"))
>>> batch.counts
{'read': 13, 'kept': 13, 'skipped': 0}
"""

from __future__ import annotations

from graph.sources._lists import ListInfo, TableListReader

__all__ = ["BISMIEUReader"]

MIEU = ListInfo(
    key="mieu-list", name="Military-Intelligence End User List", measure_cls="ExportControlListing",
    imposer="Bureau of Industry and Security", imposer_parent="United States Department of Commerce",
    aliases=("MIEU list",), url="https://www.bis.doc.gov/index.php/policy-guidance/lists-of-parties-of-concern",
)


class BISMIEUReader(TableListReader):
    """Reads the BIS MIEU list CSV."""

    name = "bis-mieu"
    columns = ["Type", "Name", "Alias", "Country", "Topics", "Program", "Date", "End date", "Source URL"]
    claim_columns = 4
    kind = "BIS MIEU CSV"
    title = "BIS Military-Intelligence End User list (OpenSanctions)"
    publisher = "OpenSanctions (from the Bureau of Industry and Security)"
    url = "https://www.opensanctions.org/datasets/us_bis_mieu/"
    listing = MIEU
    name_column, alias_columns, country_column, url_column = "Name", ("Alias",), "Country", "Source URL"
    class_column, default_class = "Type", "Organization"
    classes = {"Organization": "Organization", "Company": "Company", "Person": "Person", "PublicBody": "GovernmentBody"}
    start_column, program_column = "Date", "Program"
