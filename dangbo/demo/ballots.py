"""Plausible ballot rounds of the demo's elections, counted with the election rules."""

from __future__ import annotations

import random

from dangbo.congresses import elections as rules
from dangbo.demo.congress_plans import ElectionPlan, RoundPlan, W


def _fit(votes: dict, cap: int, protect: set) -> None:
    """Lower votes until they total at most `cap` (others first, then the protected)."""
    excess = sum(votes.values()) - cap
    for group in ([k for k in votes if k not in protect], [k for k in votes if k in protect]):
        for k in sorted(group, key=lambda k: votes[k]):
            if excess <= 0:
                return
            cut = min(excess, votes[k])
            votes[k] -= cut
            excess -= cut


class Ballots:
    """Counts plausible ballot rounds and works out who wins with the election rules."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def papers(self, present: int) -> tuple[int, int, int, int]:
        rng = self.rng
        issued = present - (1 if present > 20 and rng.random() < 0.15 else 0)
        cast = issued
        invalid = (
            rng.choice((0, 0, 0, 1, 2))
            if cast > 30
            else (1 if cast > 8 and rng.random() < 0.05 else 0)
        )
        return issued, cast, cast - invalid, invalid

    def run(
        self,
        e: ElectionPlan,
        *,
        base: int,
        present: int,
        winners: list,
        dip: bool = False,
        fail: bool = False,
        appoint=None,
    ) -> ElectionPlan:
        """Hold the rounds of `e`: `winners` are the candidates meant to win round 1; `dip`
        makes one of them fall short (a further round, or the congress stops). A cell
        secretary's election (`appoint` given) is never stopped: after three rounds without
        a winner (`fail`) the higher committee appoints, ``appoint(e)`` → (life, decision, on)."""
        cell_secretary = appoint is not None
        rng = self.rng
        needed = rules.votes_needed(base)
        elected: list[int] = []
        pool = list(e.candidates)
        strong = {c.key for c in winners}
        number = 0
        while len(elected) < e.seats:
            number += 1
            seats_open = e.seats - len(elected)
            if number > 1:
                if cell_secretary and number > 3:
                    person, decision, on = appoint(e)
                    e.appoint = (person, decision, on)
                    break
                if not cell_secretary and (
                    number > 3 or (e.what == W.COMMITTEE and rng.random() < 0.3)
                ):
                    e.stop = True
                    break
                last = e.rounds[-1].votes
                pool = sorted(
                    (c for c in e.candidates if c.key not in elected and c.key in last),
                    key=lambda c: (-last[c.key], c.key),
                )[: seats_open + 1]
                strong = {c.key for c in pool[:seats_open]}
            issued, cast, valid, invalid = self.papers(present)
            votes = {}
            for c in pool:
                if c.key in strong:
                    n = max(
                        round(rng.uniform(0.7, 0.99) * valid),
                        min(valid, needed + rng.randint(0, 2)),
                    )
                else:
                    n = round(rng.uniform(0.2, 0.55) * valid)
                votes[c.key] = min(n, valid)
            if fail:
                for k in votes:
                    votes[k] = min(votes[k], max(0, needed - 1 - rng.randint(0, 2)))
            elif number == 1 and dip and strong:
                k = rng.choice(sorted(strong))
                votes[k] = max(0, needed - 1 - rng.randint(0, 2))
            _fit(votes, valid * seats_open, strong)
            outcome = rules.round_outcome(votes, seats_open=seats_open, needed=needed)
            e.rounds.append(RoundPlan(issued, cast, valid, invalid, votes, tuple(outcome.elected)))
            elected.extend(outcome.elected)
        return e


# --------------------------------------------------------------------------- the planner
