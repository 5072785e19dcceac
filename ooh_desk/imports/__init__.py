"""Read the spreadsheets people already keep (CSV, .xlsx) and our own JSON into records.
Imports no Qt; writes nothing (the services layer writes, in one transaction)."""
