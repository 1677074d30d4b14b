"""Elections at a congress: the candidate list with the surplus rule, each ballot round with
the threshold and the winners computed live as the clerk types, and the approval."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dangbo import vn_format as vf
from dangbo.accounts.permissions import Action
from dangbo.congresses import elections as rules
from dangbo.congresses.congress import congress_approve
from dangbo.congresses.error_codes import CongressRule
from dangbo.congresses.models import (
    Congress,
    Election,
    ElectionCandidate,
    ElectionWhat,
    ProposedBy,
)
from dangbo.congresses.selectors import electorate, is_cell
from dangbo.congresses.voting import ballot_round_record, election_open
from dangbo.core.errors import Violation
from dangbo.core.services import decision_get_or_create
from dangbo.membership.models import Person
from dangbo.organizations.selectors import org_name_on
from dangbo.web.congresses.access import get_congress_for_user, get_election_for_user
from dangbo.web.congresses.forms import (
    NOMINEE_ROWS,
    ApproveForm,
    ElectionForm,
    RoundForm,
    write_placed,
)
from dangbo.web.congresses.roll import summoned_roll
from dangbo.web.decorators import require


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def congress_head(congress: Congress) -> dict[str, Any]:
    """What every page of one congress names in its heading."""
    return {
        "congress": congress,
        "org_name": org_name_on(congress.org, congress.starts_on),
        "starts_on": vf.date_numeric(congress.starts_on),
    }


def list_check(
    congress: Congress,
    what: str,
    seats: int | None,
    n: int,
    nominees: Sequence[tuple[str, str, Decimal | None]] = (),
) -> dict[str, Any]:
    """The surplus rule for `n` people proposed by the committee and the `nominees` (name,
    proposed_by, agreement %) on the list of `seats`, and the nominees' agreement rule
    (live, before saving)."""
    rs = rules.election_rules_on(congress.starts_on)
    if not seats or seats < 1:
        return {"regulation": rs.code, "seats": None}
    cap = rules.max_surplus(seats, rs)
    violations = rules.check_candidate_list(
        what=what,
        seats=seats,
        candidates=[rules.CandidateIn(str(i), "committee") for i in range(n)]
        + [
            rules.CandidateIn(name, by, pct, key=f"n{i}")
            for i, (name, by, pct) in enumerate(nominees)
        ],
        on=congress.starts_on,
    )
    n += len(nominees)
    return {
        "regulation": rs.code,
        "seats": seats,
        "n": n,
        "most": seats + cap,
        "cap": cap,
        "pct": rs.max_surplus_pct,
        "violations": [v.sentence() for v in violations],
    }


@require(Action.MANAGE_CONGRESSES)
def election_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The candidate list of an election (the full members on the congress's roll, those
    elected to its committee first); a POST with `preview` returns the surplus check only."""
    congress = get_congress_for_user(request.user, pk, Action.MANAGE_CONGRESSES)
    roll = summoned_roll(congress.org, congress.starts_on)
    committee = set(
        ElectionCandidate.objects.filter(
            election__congress=congress,
            election__what=ElectionWhat.COMMITTEE,
            elected_in_round__isnull=False,
        ).values_list("person_id", flat=True)
    )
    people = [
        (r.person_id, f"{r.name} (trúng cử cấp ủy)") for r in roll.full if r.person_id in committee
    ]
    people += [(r.person_id, r.name) for r in roll.full if r.person_id not in committee]
    form = ElectionForm(request.POST or None, people=people)
    if request.method == "POST" and request.POST.get("preview"):
        check = list_check(
            congress,
            request.POST.get("what", ""),
            _int(request.POST.get("seats")),
            len(request.POST.getlist("candidates")),
            _typed_nominees(request, {r.person_id: r.name for r in roll.full}),
        )
        return render(request, "web/congresses/_list_check.html", {"check": check})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        nominees = form.nominees()
        chosen = Person.objects.in_bulk(
            [int(p) for p in d["candidates"]] + [pk for _, pk, _, _ in nominees]
        )
        listed: list[Any] = [chosen[int(p)] for p in d["candidates"]]
        listed += [
            {"person": chosen[pk], "proposed_by": by, "nominee_agreement_pct": pct}
            for _, pk, by, pct in nominees
        ]
        row_of = {chosen[pk].full_name: i for i, pk, _, _ in nominees}

        def place(v: Violation) -> str | None:
            """An agreement refusal beside the nominee's % (the message ends with the name)."""
            if v.rule != CongressRule.DE_CU_TREN_30:
                return None
            row = next((i for name, i in row_of.items() if f"; {name} " in v.message), None)
            return f"nominee_{row}_pct" if row else None

        ok, _ = write_placed(
            form,
            lambda: election_open(
                congress=congress,
                what=d["what"],
                seats=d["seats"],
                candidates=listed,
                actor=request.user.get_username(),
            ),
            place,
        )
        if ok:
            return redirect("web:congress", pk=congress.pk)
    rs = rules.election_rules_on(congress.starts_on)
    return render(
        request,
        "web/congresses/election.html",
        {
            **congress_head(congress),
            "form": form,
            "regulation": rs.code,
            "nominee_pct": vf.percentage_text(rs.nominee_min_agreement_pct),
        },
    )


def _typed_nominees(
    request: HttpRequest, names: dict[int, str]
) -> list[tuple[str, str, Decimal | None]]:
    """The nominee rows as typed so far (for the live check): name, proposed_by, agreement."""
    out = []
    for i in range(1, NOMINEE_ROWS + 1):
        pk = _int(request.POST.get(f"nominee_{i}_person"))
        if pk is None or pk not in names:
            continue
        by = request.POST.get(f"nominee_{i}_by") or ProposedBy.NOMINEE
        try:
            pct: Decimal | None = Decimal(
                request.POST.get(f"nominee_{i}_pct", "").replace(",", ".")
            )
        except InvalidOperation:
            pct = None
        out.append((names[pk], by, pct))
    return out


def round_candidates(election: Election) -> list[ElectionCandidate]:
    """Round 1: every candidate; a further round: those not elected yet."""
    cands = list(election.candidates.select_related("person").order_by("pk"))
    if election.rounds.exists():
        return [c for c in cands if c.elected_in_round is None]
    return cands


def round_preview(
    election: Election, data: Any, candidates: list[ElectionCandidate]
) -> dict[str, Any]:
    """The threshold, the consistency checks and the winners of the round as typed so far."""
    congress = election.congress
    base, present = electorate(election)
    needed = rules.votes_needed(base)
    elected = election.candidates.filter(elected_in_round__isnull=False).count()
    seats_open = election.seats - elected
    votes = {c.pk: _int(data.get(f"votes_{c.pk}")) for c in candidates}
    names = {c.pk: c.person.full_name for c in candidates}
    ballots = {k: _int(data.get(k)) for k in ("issued", "cast", "valid", "invalid")}
    out: dict[str, Any] = {
        "regulation": rules.election_rules_on(congress.starts_on).code,
        "base": base,
        "present": present,
        "needed": needed,
        "seats_open": seats_open,
        "complete": all(v is not None for v in ballots.values()),
    }
    typed = {k: v for k, v in votes.items() if v is not None}
    if out["complete"]:
        r = rules.RoundIn(votes=typed, **{k: v or 0 for k, v in ballots.items()})
        out["violations"] = [
            v.sentence()
            for v in rules.check_round(
                r, present=present, seats_open=seats_open, names=names, on=congress.starts_on
            )
        ]
    outcome = rules.round_outcome(typed, seats_open=seats_open, needed=needed)
    valid = ballots["valid"]
    rows = []
    for c in sorted(candidates, key=lambda c: -(votes[c.pk] or 0)):
        n = votes[c.pk]
        rows.append(
            {
                "name": names[c.pk],
                "votes": "" if n is None else vf.number(n),
                "pct": vf.percent(n, valid) if n is not None and valid else "",
                "reached": n is not None and n >= needed,
                "elected": c.pk in outcome.elected,
                "tied": c.pk in outcome.tied_at_last_seat,
            }
        )
    out["rows"] = rows
    out["elected"] = [names[k] for k in outcome.elected]
    out["tied"] = [names[k] for k in outcome.tied_at_last_seat]
    out["seats_left"] = outcome.seats_left
    out["further"] = outcome.seats_left > 0 and not is_cell(congress.org, congress.starts_on)
    return out


@require(Action.MANAGE_CONGRESSES)
def ballot_round(request: HttpRequest, pk: int) -> HttpResponse:
    """The next ballot round of an election; a POST with `preview` returns the live
    computation only (threshold, checks, who would be elected)."""
    election = get_election_for_user(request.user, pk, Action.MANAGE_CONGRESSES)
    candidates = round_candidates(election)
    number = election.rounds.count() + 1
    if request.method == "POST" and request.POST.get("preview"):
        preview = round_preview(election, request.POST, candidates)
        return render(request, "web/congresses/_round_live.html", {"live": preview})
    form = RoundForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, _ = write_placed(
            form,
            lambda: ballot_round_record(
                election=election,
                issued=d["issued"],
                cast=d["cast"],
                valid=d["valid"],
                invalid=d["invalid"],
                votes=form.votes(),
                held_on=d["held_on"],
                actor=request.user.get_username(),
            ),
        )
        if ok:
            return redirect("web:congress", pk=election.congress_id)
    return render(
        request,
        "web/congresses/round.html",
        {
            **congress_head(election.congress),
            "election": election,
            "number": number,
            "form": form,
            "live": round_preview(election, request.POST or {}, candidates),
        },
    )


@require(Action.MANAGE_CONGRESSES)
def congress_approval(request: HttpRequest, pk: int) -> HttpResponse:
    """The approval (chuẩn y): the higher committee's decision and the date the seats start;
    a refused approval records no decision either."""
    congress = get_congress_for_user(request.user, pk, Action.MANAGE_CONGRESSES)
    form = ApproveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        @transaction.atomic
        def approve() -> Any:
            decision = decision_get_or_create(
                number=d["number"],
                issued_on=d["issued_on"],
                issuer=d["issuer"],
                issuer_level=d["issuer_level"],
                title="Chuẩn y kết quả bầu cử",
            )
            return congress_approve(
                congress=congress, decision=decision, on=d["on"], actor=request.user.get_username()
            )

        ok, _ = write_placed(form, approve)
        if ok:
            return redirect("web:congress", pk=congress.pk)
    return render(request, "web/congresses/approve.html", {**congress_head(congress), "form": form})
