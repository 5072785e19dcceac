"""The verbs a user performs, one module per family, called alike by the command line
(`commands/`) and the desktop app (`gui/`); neither re-implements one.

    registers  create a register
    importing  import a CSV, .xlsx, forward plan or OOH Desk JSON file, all or nothing
    records    save, delete and restore one record or engagement event (the app's edits)
    listing    records for `list` and the app, what changed since the last report
    outputs    reports, risk logs, packs, minutes and JSON: written whole, then entered in
               the register's issue list, in one place
    meetings   record a meeting and arrange its agenda
    papers     create, edit and import papers
    demo       the demo register built from sample_data/

Imports no Qt; only domain, store, imports and exports below it.
"""
