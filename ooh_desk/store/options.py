"""A paper's options appraisal (the `options` and `option_scores` tables, schema migration 8):
child rows of the paper, replaced as a whole and audited on the paper as the fields `options`
and `option_scores`, as a risk's mitigations are, so two copies of a register merge them.
Imports no Qt, Word or Excel code."""

from __future__ import annotations

from typing import Any

from ..domain.options import Appraisal, Option, Score
from ..domain.records import new_uuid
from .register import Register, RegisterError, _now


def _paper_uuid(reg: Register, paper_ref: str) -> tuple[str, str]:
    found = list(reg.query("select uuid, ref from papers where ref = ? collate nocase",
                           [paper_ref]))
    if not found:
        raise RegisterError(f"there is no paper {paper_ref} in {reg.path.name}")
    return found[0]["uuid"], found[0]["ref"]


def appraisal(reg: Register, paper_ref: str) -> Appraisal:
    """The paper's options and scores, in the order they were typed (empty when it has none)."""
    uuid, _ = _paper_uuid(reg, paper_ref)
    return appraisal_of(reg, uuid)


def appraisal_of(reg: Register, paper_uuid: str) -> Appraisal:
    options = [Option(name=r["name"] or "", summary=r["summary"] or "",
                      benefits=r["benefits"] or "", risks=r["risks"] or "",
                      verdict=r["verdict"] or "carried forward", reason=r["reason"] or "")
               for r in reg.query("select * from options where paper_uuid = ? order by position",
                                  [paper_uuid])]
    scores = [Score(criterion=r["criterion"] or "", weight=r["weight"] or 0,
                    option=r["option"] or "", score=r["score"] or 0,
                    rationale=r["rationale"] or "")
              for r in reg.query("select * from option_scores where paper_uuid = ? "
                                 "order by position", [paper_uuid])]
    return Appraisal(options, scores)


def options_text(options: list[Option]) -> str:
    """The options as the audit shows them: a line each, every field that is set."""
    return "\n".join("; ".join(x for x in (o.name, o.verdict, o.summary, o.benefits, o.risks,
                                           o.reason) if x) for o in options)


def scores_text(scores: list[Score]) -> str:
    return "\n".join(f"{s.criterion} ({s.weight}): {s.option} {s.score}"
                     + (f"; {s.rationale}" if s.rationale else "") for s in scores)


def save_appraisal(reg: Register, paper_ref: str, new: Appraisal, *, options: bool = True,
                   scores: bool = True, operation: str = "edit") -> list[str]:
    """Make the paper's options (and/or scores) those given, replacing the rows it held, with
    one audit row on the paper for each list that changed. Returns the fields changed."""
    with reg.transaction():
        uuid, ref = _paper_uuid(reg, paper_ref)
        old = appraisal_of(reg, uuid)
        now = _now()
        changed = []
        if options and options_text(old.options) != options_text(new.options):
            reg.db["options"].delete_where("paper_uuid = ?", [uuid])
            _insert(reg, "options", [
                {"uuid": new_uuid(), "paper_uuid": uuid, "position": n, "name": o.name,
                 "summary": o.summary, "benefits": o.benefits, "risks": o.risks,
                 "verdict": o.verdict, "reason": o.reason}
                for n, o in enumerate(new.options, 1)])
            reg._audit(operation, "papers", uuid, ref, "options", options_text(old.options),
                       options_text(new.options))
            changed.append("options")
        if scores and scores_text(old.scores) != scores_text(new.scores):
            reg.db["option_scores"].delete_where("paper_uuid = ?", [uuid])
            _insert(reg, "option_scores", [
                {"uuid": new_uuid(), "paper_uuid": uuid, "position": n,
                 "criterion": s.criterion, "weight": s.weight, "option": s.option,
                 "score": s.score, "rationale": s.rationale}
                for n, s in enumerate(new.scores, 1)])
            reg._audit(operation, "papers", uuid, ref, "option_scores", scores_text(old.scores),
                       scores_text(new.scores))
            changed.append("option_scores")
        if changed:
            reg.db["papers"].update(uuid, {"updated": now, "updated_by": reg.user})
        return changed


def _insert(reg: Register, table: str, rows: list[dict[str, Any]]) -> None:
    if rows:
        reg.db[table].insert_all(rows, pk="uuid")


def child_rows(reg: Register, paper_uuid: str) -> dict[str, list[dict[str, Any]]]:
    """The paper's option rows as stored, for deleting a paper and putting it back."""
    return {table: list(reg.query(f"select * from [{table}] where paper_uuid = ?", [paper_uuid]))
            for table in ("options", "option_scores")}
