"""OOH Desk: a local register for public-sector transformation programmes, and the papers it writes."""

__version__ = "0.1.0"
