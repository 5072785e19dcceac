"""The one exception the import layer raises for a file the user must fix."""

from ..errors import UserFacing


class ImportRefused(UserFacing):
    """The file cannot be imported as it is; the message says what is wrong and where."""

    def __init__(self, message: str, problems: list | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []
