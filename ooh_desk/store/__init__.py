"""The SQLite register: the only package that speaks SQL. Imports no Qt, Word or Excel code."""

from .register import (
    SUFFIX,
    Change,
    NotARegister,
    Register,
    RegisterError,
    RegisterInUse,
    RegisterTooNew,
    Removed,
)

__all__ = ["SUFFIX", "Change", "NotARegister", "Register", "RegisterError", "RegisterInUse",
           "RegisterTooNew", "Removed"]
