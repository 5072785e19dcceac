"""The SQLite register: the only package that speaks SQL. Imports no Qt, Word or Excel code."""

from .records import Change, Removed
from .register import (
    SUFFIX,
    NotARegister,
    Register,
    RegisterError,
    RegisterInUse,
    RegisterTooNew,
)

__all__ = ["SUFFIX", "Change", "NotARegister", "Register", "RegisterError", "RegisterInUse",
           "RegisterTooNew", "Removed"]
