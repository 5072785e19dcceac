"""The desktop app: PySide6 windows, Qt models over the store, dialogs. A thin layer over
ooh_desk.services and the store; the rules of the trade live in ooh_desk.domain."""
