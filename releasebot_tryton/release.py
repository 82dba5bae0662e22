"""Release and reset productions in one transaction, under a lock on their rows.

`production.releasebot_release`, `production.releasebot_reset` and
`production.releasebot_reset_many` (an undo: several productions, all or none) are the
only calls releasebot makes that change Tryton. Each locks its productions (NOWAIT: a
second caller's transaction fails and trytond's `[database] retry` starts it again,
after the first committed, so it reads the first one's result and is told who won),
decides, changes and records, or changes nothing and says why.

The answers are plain dicts (JSON-RPC and XML-RPC both carry them):
    released/reset: bool; number; state; cause and reason when refused;
    released_by, released_from, released_at (the winner, when already released);
    picking: [{work, warehouse, lines: [{product, name, quantity, unit, from, to}]}];
    shortages: [{product, name, short, unit}]; write_date (ISO) of the production.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

from trytond.model import ModelSQL, fields
from trytond.pool import Pool, PoolMeta
from trytond.rpc import RPC, RPCReturnException

POLICIES = ("require_full", "allow_partial")

# what to do, by state, for an order that cannot be released
_NOT_RELEASABLE = {
    "request": "it is a request: make it a draft and plan its dates in Tryton, then release it",
    "running": "it is running on the shop floor; nothing to release",
    "done": "it is done; nothing to release",
    "cancelled": "it is cancelled: reset it to draft and plan it in Tryton first",
}


class _Answer(RPCReturnException):
    """Roll the transaction back and answer: a refusal found after changes were made."""

    def __init__(self, answer: dict) -> None:
        super().__init__()
        self.answer = answer

    def result(self) -> dict:
        return self.answer


class ReleaseRecord(ModelSQL):
    "Releasebot release record: who released or reset a production, from where, with which key"

    __name__ = "releasebot.release"

    production = fields.Many2One("production", "Production", required=True, ondelete="CASCADE")
    action = fields.Selection([("release", "Release"), ("reset", "Reset")], "Action", required=True)
    key = fields.Char("Idempotency Key")
    actor = fields.Char("By", required=True)
    source = fields.Char("From")
    answer = fields.Text("Answer")  # what the first call answered, given again for its key


class Production(metaclass=PoolMeta):
    __name__ = "production"

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__rpc__.update(
            {
                "releasebot_release": RPC(readonly=False),
                "releasebot_reset": RPC(readonly=False),
                "releasebot_reset_many": RPC(readonly=False),
                "releasebot_details": RPC(),
            }
        )

    @classmethod
    def on_modification(cls, mode, productions, field_names=None):
        """A planned draft gets its number at once, so that the number a planner reads in
        Tryton is the one he types in Slack (Tryton itself numbers it only at `wait`)."""
        super().on_modification(mode, productions, field_names=field_names)
        if mode in {"create", "write"}:
            unnumbered = [
                p
                for p in productions
                if not p.number and p.state == "draft" and p.planned_start_date
            ]
            if unnumbered:
                cls.set_number(unnumbered)

    # -- release ---------------------------------------------------------------------

    @classmethod
    def releasebot_release(
        cls,
        number,
        key,
        actor,
        source,
        policy="require_full",
        expected_write_date=None,
        dry_run=False,
    ):
        """Release production `number`: draft -> waiting -> assigned (inputs reserved).

        `key`: the same key again answers what the first call answered. `expected_write_date`
        (ISO): refuse when the production changed since the caller read it. `dry_run`: decide
        and answer, change nothing (the caller's preview is this very decision)."""
        if policy not in POLICIES:
            raise ValueError(f"policy must be one of {POLICIES}")
        Record = Pool().get("releasebot.release")
        production = cls._releasebot_locked(number)
        if production is None:
            return _refusal(number, "unknown_order", f"{number}: no such production in Tryton")
        if key:
            earlier = Record.search(
                [("production", "=", production.id), ("key", "=", key), ("action", "=", "release")],
                limit=1,
            )
            if earlier:
                return json.loads(earlier[0].answer)
        refusal = production._releasebot_release_refusal(expected_write_date)
        if refusal:
            return refusal

        cls.wait([production])
        cls.assign_try([production])
        production = cls(production.id)
        shortages = production._releasebot_shortages()
        if shortages and policy == "require_full":
            raise _Answer(
                _refusal(
                    production.number,
                    "shortage",
                    f"{production.number} is short of material: "
                    + "; ".join(
                        f"{s['product']} {s['name']}: {s['short']:g} {s['unit']} short"
                        for s in shortages
                    ),
                    shortages=shortages,
                )
            )
        answer = {
            "released": True,
            "number": production.number,
            "state": production.state,
            "cause": None,
            "reason": None,
            "released_by": actor,
            "released_from": source,
            "released_at": _now_iso(),
            "picking": production._releasebot_picking(),
            "shortages": shortages,
            "write_date": None,
        }
        if dry_run:
            raise _Answer(answer)
        record = Record(
            production=production,
            action="release",
            key=key,
            actor=actor,
            source=source,
            answer="",
        )
        record.save()
        answer["write_date"] = _iso(cls(production.id)._releasebot_write_date())
        record.answer = json.dumps(answer)
        record.save()
        return answer

    @classmethod
    def _releasebot_locked(cls, number):
        """The production numbered `number`, its row locked for this transaction."""
        found = cls.search([("number", "=", number)], limit=1)
        if not found:
            return None
        cls.lock(found)
        return cls(found[0].id)

    def _releasebot_release_refusal(self, expected_write_date):
        number = self.number
        if self.state == "draft":
            if not (self.planned_start_date and self.planned_date):
                return _refusal(
                    number,
                    "status",
                    f"{number} is a draft without planned dates: plan it in Tryton "
                    "first, then release it",
                )
            if expected_write_date and _iso(self._releasebot_write_date()) != expected_write_date:
                return _refusal(
                    number,
                    "changed",
                    f"{number} was changed in Tryton since releasebot read it: look at it "
                    "again, then release it",
                )
            return None
        if self.state in {"waiting", "assigned"}:
            return self._releasebot_already_released()
        return _refusal(
            number, "status", f"{number} is {self.state}: {_NOT_RELEASABLE[self.state]}"
        )

    def _releasebot_already_released(self):
        Record = Pool().get("releasebot.release")
        last = Record.search(
            [("production", "=", self.id), ("action", "=", "release")],
            order=[("id", "DESC")],
            limit=1,
        )
        if last:
            who, where, when = last[0].actor, last[0].source, last[0].create_date
        else:
            who = self.assigned_by.rec_name if self.assigned_by else "someone in Tryton"
            where, when = "Tryton", self.write_date
        answer = _refusal(
            self.number,
            "status",
            f"{self.number} was already released by {who}"
            + (f" at {when:%Y-%m-%d %H:%M} UTC" if when else "")
            + ": nothing to release; reset its status to scheduled first to release it again",
        )
        answer.update(released_by=who, released_from=where, released_at=_iso(when))
        return answer

    def _releasebot_write_date(self):
        return self.write_date or self.create_date

    def _releasebot_shortages(self):
        """What the inputs still lack: the parts of input moves assign_try left in draft."""
        short = defaultdict(float)
        products = {}
        for move in self.inputs:
            if move.state in {"draft", "staging"}:
                short[move.product.id] += move.quantity
                products[move.product.id] = move
        return [
            {
                "product": products[pid].product.code or "",
                "name": products[pid].product.name,
                "short": quantity,
                "unit": products[pid].unit.symbol,
            }
            for pid, quantity in short.items()
        ]

    def _releasebot_picking(self):
        """The picking work: the assigned input moves, one work per warehouse."""
        lines = [
            {
                "product": move.product.code or "",
                "name": move.product.name,
                "quantity": move.quantity,
                "unit": move.unit.symbol,
                "from": move.from_location.rec_name,
                "to": move.to_location.rec_name,
            }
            for move in self.inputs
            if move.state == "assigned"
        ]
        if not lines:
            return []
        warehouse = self.warehouse.code or self.warehouse.name
        return [{"work": f"{self.number}/{warehouse}", "warehouse": warehouse, "lines": lines}]

    # -- reset -----------------------------------------------------------------------

    @classmethod
    def releasebot_reset(cls, number, actor, source):
        """Back to a planned draft while nothing was consumed and no work has cycles."""
        (answer,) = cls.releasebot_reset_many([number], None, actor, source)
        return answer

    @classmethod
    def releasebot_reset_many(cls, numbers, key, actor, source):
        """Reset several productions in one transaction, all or none (an undo of a release).

        Their rows are locked together, each is guarded as a single reset is; one refused
        and none is reset, each answered with its own reason (the others: which one stopped
        them). `key`: the same key again answers what the first call did, so a caller
        whose answer was lost learns whether the productions were reset."""
        Record = Pool().get("releasebot.release")
        if key:  # a key is the caller's for these productions (as a release's for one)
            earlier = Record.search(
                [
                    ("key", "=", key),
                    ("action", "=", "reset"),
                    ("production.number", "in", list(numbers)),
                ],
                limit=1,
            )
            if earlier:
                answers = json.loads(earlier[0].answer)
                if {answer["number"] for answer in answers} == set(numbers):
                    return answers
        found = cls.search([("number", "in", list(numbers))], order=[("id", "ASC")])
        cls.lock(found)
        productions = {p.number: cls(p.id) for p in found}
        refusals = {
            number: (
                productions[number]._releasebot_reset_refusal()
                if number in productions
                else _refusal(
                    number, "unknown_order", f"{number}: no such production in Tryton", "reset"
                )
            )
            for number in numbers
        }
        refused = [number for number in numbers if refusals[number]]
        if refused:
            return [
                refusals[number]
                or _refusal(
                    number,
                    "others",
                    f"{number} was not reset: {', '.join(refused)} could not be, and these "
                    "orders are reset all together or not at all",
                    "reset",
                )
                for number in numbers
            ]
        resetting = [productions[number] for number in numbers]
        assigned = [p for p in resetting if p.state == "assigned"]
        if assigned:
            cls.wait(assigned)
        cls.draft(resetting)
        answers = [
            {"reset": True, "number": number, "state": "draft", "cause": None, "reason": None}
            for number in numbers
        ]
        Record.create(
            [
                {
                    "production": production.id,
                    "action": "reset",
                    "key": key,
                    "actor": actor,
                    "source": source,
                    "answer": json.dumps(answers),
                }
                for production in resetting
            ]
        )
        return answers

    def _releasebot_reset_refusal(self):
        """Why this production cannot go back to a planned draft, or None."""
        number = self.number
        if self.state not in {"waiting", "assigned"}:
            what = {
                "draft": "it is not released; nothing to reset",
                "request": "it is not released; nothing to reset",
                "running": "work has started on the shop floor; it cannot be reset",
                "done": "it is done; it cannot be reset",
                "cancelled": "it is cancelled; nothing to reset",
            }[self.state]
            return _refusal(number, "status", f"{number} is {self.state}: {what}", "reset")
        consumed = [m for m in self.inputs if m.state == "done"]
        if consumed:
            return _refusal(
                number,
                "started",
                f"{number}: material was already consumed ({consumed[0].product.rec_name}); "
                "it cannot be reset",
                "reset",
            )
        started = [w for w in getattr(self, "works", ()) if w.cycles]
        if started:
            return _refusal(
                number,
                "started",
                f"{number}: work {started[0].rec_name} has started; it cannot be reset",
                "reset",
            )
        return None

    # -- read ------------------------------------------------------------------------

    @classmethod
    def releasebot_details(cls, number):
        """An order as releasebot shows it and prints its papers: inputs, route operations
        at their work centres, open picking work, releases and resets."""
        found = cls.search([("number", "=", number)], limit=1)
        if not found:
            return None
        production = found[0]
        product = production.product
        return {
            "number": production.number,
            "state": production.state,
            "product": (product.code or "") if product else "",
            "product_name": product.name if product else "",
            "unit": production.unit.symbol if production.unit else "",
            "quantity": production.quantity,
            "planned_start_date": _iso(production.planned_start_date),
            "planned_date": _iso(production.planned_date),
            "warehouse": production.warehouse.code or production.warehouse.name,
            "write_date": _iso(production._releasebot_write_date()),
            "inputs": [
                {
                    "product": m.product.code or "",
                    "name": m.product.name,
                    "quantity": m.quantity,
                    "unit": m.unit.symbol,
                    "state": m.state,
                    "from": m.from_location.rec_name,
                }
                for m in production.inputs
            ],
            "operations": production._releasebot_operations(),
            "picking": (
                production._releasebot_picking()
                if production.state in {"waiting", "assigned"}
                else []
            ),
            "history": [
                {"action": r.action, "by": r.actor, "from": r.source, "at": _iso(r.create_date)}
                for r in Pool()
                .get("releasebot.release")
                .search([("production", "=", production.id)], order=[("id", "ASC")])
            ],
        }

    def _releasebot_operations(self):
        """The route: its works once released (each at the work centre Tryton picked),
        before that the routing's steps at the centre they would go to (the production's,
        or the operation's work centre category when it has one: Tryton picks one of that
        category under the production's centre at `wait`)."""
        works = getattr(self, "works", ())
        if works:
            steps = [(w.operation, w.work_center) for w in works]
        else:
            steps = [
                (
                    step.operation,
                    getattr(step.operation, "work_center_category", None)
                    or getattr(self, "work_center", None),
                )
                for step in (self.routing.steps if self.routing else ())
            ]
        return [
            {
                "sequence": index,
                "operation": operation.rec_name,
                "work_center": centre.rec_name if centre else "",
            }
            for index, (operation, centre) in enumerate(steps, start=1)
        ]


def _refusal(number, cause, reason, action="release", shortages=()):
    key = "released" if action == "release" else "reset"
    return {
        key: False,
        "number": number,
        "cause": cause,
        "reason": reason,
        "shortages": list(shortages),
        "picking": [],
    }


def _iso(value):
    return value.isoformat() if value else None


def _now_iso():
    return dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds")
