"""A risk's treatment: how the organisation has chosen to respond to it, in the UK public
sector's "four Ts" (HM Treasury's Orange Book), and the words other registers use for the
same four choices. '' is "not stated". Imports no Qt and no SQL."""

from __future__ import annotations

from typing import Any

from .prose import word_key

# The words a register keeps, in the order the app offers them.
TREATMENTS = ("treat", "tolerate", "transfer", "terminate")
TREATMENT_WORDS = {t: t.capitalize() for t in TREATMENTS}
# What each one means, for the risk log's key and the app's tooltips.
TREATMENT_MEANINGS = {
    "treat": "Act to reduce the likelihood or the impact (also written Reduce or Mitigate).",
    "tolerate": "Live with the risk as it is and keep it under review, perhaps with a "
                "fallback plan ready (also written Accept, Retain, Contingency or Fallback).",
    "transfer": "Pass the risk, or part of it, to another party: a contract, a partner or "
                "insurance (also written Share or Insure).",
    "terminate": "Stop or change the activity so the risk no longer arises "
                 "(also written Avoid).",
}

# How other registers spell the same choices: PRINCE2 (Reduce, Accept, Transfer, Share,
# Avoid, Fallback, Contingency), ISO 31000 and PMI (Mitigate, Retain, Avoid), insurers.
# Contingency and Fallback are Tolerate, not Treat: a fallback plan leaves the exposure as
# it is and only says what will be done if the risk happens, and the Orange Book (2004)
# describes contingency planning as what may go with tolerating a risk. Treat is kept for
# action taken now to bring the score down, so a register's Treat risks are the ones whose
# mitigating actions should move the score.
_SYNONYMS = {
    "treat": "treat", "treated": "treat", "treatment": "treat", "reduce": "treat",
    "reduced": "treat", "reduction": "treat", "mitigate": "treat", "mitigated": "treat",
    "mitigation": "treat", "control": "treat",
    "tolerate": "tolerate", "tolerated": "tolerate", "tolerance": "tolerate",
    "accept": "tolerate", "accepted": "tolerate", "acceptance": "tolerate",
    "retain": "tolerate", "retained": "tolerate", "retention": "tolerate",
    "contingency": "tolerate", "contingency plan": "tolerate", "fallback": "tolerate",
    "fall back": "tolerate", "fallback plan": "tolerate",
    "transfer": "transfer", "transferred": "transfer", "share": "transfer",
    "shared": "transfer", "insure": "transfer", "insured": "transfer", "insurance": "transfer",
    "terminate": "terminate", "terminated": "terminate", "avoid": "terminate",
    "avoided": "terminate", "avoidance": "terminate",
}
# A cell that says nothing was chosen.
_NOT_STATED = {"", "-", "n/a", "na", "tbc", "tbd", "not stated"}
ACCEPTED = ("use Treat, Tolerate, Transfer or Terminate (Reduce or Mitigate is read as "
            "Treat; Accept, Retain, Contingency or Fallback as Tolerate; Share or Insure as "
            "Transfer; Avoid as Terminate), or leave it empty")


def parse_treatment(value: Any) -> str:
    """The treatment a typed word means ('Mitigate' is 'treat'); '' when none is given.
    Anything else is a ValueError naming the words accepted."""
    if value is None or str(value).strip().lower() in _NOT_STATED:
        return ""
    key = word_key(value)
    if key in _SYNONYMS:
        return _SYNONYMS[key]
    shown = str(value).strip()
    shown = repr(shown) if len(shown) <= 30 else f"{shown[:26]!r}…"
    raise ValueError(f"{shown} is not a risk treatment: {ACCEPTED}")


def treatment_word(treatment: str) -> str:
    """The word shown for a stored treatment ('Treat'); '' for none."""
    return TREATMENT_WORDS.get(treatment, treatment.capitalize() if treatment else "")


def read_as(value: Any) -> str | None:
    """How a typed word was read when it is not the word shown ('Mitigate' -> 'Treat'), for
    an import report; None when it was the word itself, blank, or not a treatment."""
    try:
        treatment = parse_treatment(value)
    except ValueError:
        return None
    if not treatment or word_key(value) == treatment:
        return None
    return f"read {str(value).strip()!r} as {treatment_word(treatment)}"
