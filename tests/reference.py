"""An independent count of the membership figures of REPORTS §1, for tests to compare with.

It reads the raw rows (ledger events, organization versions, candidate steps) with the ORM
and counts in plain Python: no call into `dangbo.figures`, the ledger fold, the closure
table or the membership spells. The canonical keys and the classification of each flow
are written out here from REPORTS §1, so a product that files a member under the wrong
key (say `transferred_in` for `reorganized_in`) disagrees with this count.

Edge cases: a reversed event and the reversal itself count for nothing; the "from" side of
a reorganization is read on the day before (the tree changes on its date); a member
received from outside takes the status written on the receiving event.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, is_dataclass
from datetime import date, timedelta

from dangbo.membership.models import CandidateStep, MemberEvent, Person
from dangbo.organizations.models import OrgVersion

# --- REPORTS §1, written out -------------------------------------------------------------------

STOCK_NAMES = ("members", "official", "probationary", "women", "exempt")
STOCK_KEYS = tuple(f"{s}_{w}" for s in STOCK_NAMES for w in ("start", "end"))
INFLOWS = ("admitted", "readmitted", "transferred_in", "reorganized_in")
OUTFLOWS = ("transferred_out", "reorganized_out", "died", "removed", "expelled", "left")
FLOW_KEYS = (
    "admitted",
    "readmitted",
    "recognized_official",
    "transferred_in",
    "transferred_out",
    "transferred_internal",
    "temporary_in",
    "temporary_out",
    "reorganized_in",
    "reorganized_out",
    "died",
    "removed",
    "expelled",
    "left",
    "cards_issued",
    "badges_awarded",
    "badges_posthumous",
    "candidates_trained",
    "candidates_verified",
    "dossiers_completed",
    "exemptions_granted",
)
DISCIPLINE_FORMS = ("khien_trach", "canh_cao", "cach_chuc", "khai_tru")

# ledger event kinds as stored (the database values, not the product's enum)
ADMISSION, READMISSION, RECOGNITION = "ket_nap", "ket_nap_lai", "chinh_thuc"
TRANSFER, TEMPORARY_OUT, REORGANIZATION = "chuyen_sinh_hoat", "tam_di", "to_chuc_lai"
CARD, BADGE, EXEMPTION, EXEMPTION_END = "phat_the", "huy_hieu", "mien", "mien_ket_thuc"
DISCIPLINE, REMOVAL, LEAVING, DEATH = "ky_luat", "xoa_ten", "ra_khoi_dang", "tu_tran"
REVERSAL = "huy_bo"
CANDIDATE_STAGES = {
    "hoc_lop": "candidates_trained",
    "tham_tra": "candidates_verified",
    "ho_so": "dossiers_completed",
}
PROBATIONARY, OFFICIAL = "du_bi", "chinh_thuc"


def as_mapping(figures) -> dict:
    """The product's figures as a plain dict, whether it returns a mapping or a dataclass."""
    if is_dataclass(figures) and not isinstance(figures, type):
        return asdict(figures)
    return dict(figures)


def identity_difference(figures) -> int:
    """members_end − (members_start + inflows − outflows): 0 when REPORTS §1's identity holds."""
    f = as_mapping(figures)
    return f["members_end"] - (
        f["members_start"] + sum(f[k] for k in INFLOWS) - sum(f[k] for k in OUTFLOWS)
    )


def identity_holds(figures) -> bool:
    """REPORTS §1: members_end = members_start + inflows − outflows."""
    return identity_difference(figures) == 0


class Tree:
    """The organization tree as its versions say, day by day (no closure table)."""

    def __init__(self) -> None:
        self.versions: dict[int, list[tuple[date, date, int | None]]] = defaultdict(list)
        for org_id, start, end, parent in OrgVersion.objects.values_list(
            "org_id", "valid_from", "valid_to", "parent_id"
        ):
            self.versions[org_id].append((start, end, parent))

    def parent(self, org_id: int, on: date) -> int | None | bool:
        """The parent on `on`; None for a root, False when the organization does not exist."""
        for start, end, parent in self.versions.get(org_id, ()):
            if start <= on < end:
                return parent
        return False

    def within(self, org_id: int | None, root: int, on: date) -> bool:
        """Is `org_id` in `root`'s subtree on `on` (both existing that day)?"""
        seen = 0
        node: int | None | bool = org_id
        while node:
            up = self.parent(node, on)
            if up is False:
                return False
            if node == root:
                return True
            node, seen = up, seen + 1
            assert seen < 50, "a cycle in the organization tree"
        return False


def _live_events() -> list[dict]:
    rows = list(
        MemberEvent.objects.values(
            "id",
            "member_id",
            "kind",
            "effective_on",
            "from_org_id",
            "to_org_id",
            "form",
            "badge_years",
            "posthumous",
            "details",
            "reverses_id",
        )
    )
    reversed_ids = {r["reverses_id"] for r in rows if r["reverses_id"]}
    return [r for r in rows if r["kind"] != REVERSAL and r["id"] not in reversed_ids]


def count_flows(events) -> dict:
    """Every flow key of REPORTS §1 from events seen from one organization O.

    Each event is (kind, into, outof, form, posthumous, badge_years): `into` when its
    destination lies in O on its date, `outof` when its origin lay in O (for a
    reorganization: on the day before).
    """
    out: dict = {k: 0 for k in FLOW_KEYS}
    badges: dict[str, int] = defaultdict(int)
    disciplined = {f: 0 for f in DISCIPLINE_FORMS}
    for kind, into, outof, form, posthumous, badge_years in events:
        if kind in (TRANSFER, TEMPORARY_OUT, REORGANIZATION):
            prefix = {TRANSFER: "transferred", TEMPORARY_OUT: "temporary"}.get(kind, "reorganized")
            if into and not outof:
                out[f"{prefix}_in"] += 1
            elif outof and not into:
                out[f"{prefix}_out"] += 1
            elif into and outof and kind == TRANSFER:
                out["transferred_internal"] += 1
        elif kind == ADMISSION and into:
            out["admitted"] += 1
        elif kind == READMISSION and into:
            out["readmitted"] += 1
        elif kind == RECOGNITION and into:
            out["recognized_official"] += 1
        elif kind == CARD and into:
            out["cards_issued"] += 1
        elif kind == BADGE and into:
            out["badges_awarded"] += 1
            out["badges_posthumous"] += bool(posthumous)
            badges[str(badge_years)] += 1
        elif kind == EXEMPTION and into:
            out["exemptions_granted"] += 1
        elif kind == DEATH and outof:
            out["died"] += 1
        elif kind == REMOVAL and outof:
            out["removed"] += 1
        elif kind == LEAVING and outof:
            out["left"] += 1
        elif kind == DISCIPLINE and outof:
            disciplined[form] += 1
            out["expelled"] += form == "khai_tru"
    out["badges_by_milestone"] = dict(sorted(badges.items(), key=lambda kv: int(kv[0])))
    out["disciplined"] = disciplined
    out["disciplined_total"] = sum(disciplined.values())
    return out


def _flows(events: list[dict], tree: Tree, root: int, start: date, end: date) -> dict:
    seen = []
    for e in events:
        on = e["effective_on"]
        if not start <= on <= end:
            continue
        read_from = on - timedelta(days=1) if e["kind"] == REORGANIZATION else on
        into = e["to_org_id"] is not None and tree.within(e["to_org_id"], root, on)
        outof = e["from_org_id"] is not None and tree.within(e["from_org_id"], root, read_from)
        seen.append((e["kind"], into, outof, e["form"], e["posthumous"], e["badge_years"]))
    return count_flows(seen)


def _stocks(events: list[dict], tree: Tree, root: int, days: dict[str, date]) -> dict:
    women = set(Person.objects.filter(gender="nu").values_list("member__id", flat=True))
    by_member: dict[int, list[dict]] = defaultdict(list)
    for e in events:
        by_member[e["member_id"]].append(e)
    out = {k: 0 for k in STOCK_KEYS}
    for member_id, evs in by_member.items():
        evs.sort(key=lambda e: (e["effective_on"], e["kind"] != REORGANIZATION, e["id"]))
        for which, day in days.items():
            cell, status, exempt, was_official = None, None, False, False
            for e in evs:
                if e["effective_on"] > day:
                    break
                kind = e["kind"]
                if kind in (ADMISSION, READMISSION):
                    cell, status, exempt, was_official = e["to_org_id"], PROBATIONARY, False, False
                elif kind == RECOGNITION:
                    status, was_official = OFFICIAL, True
                elif kind == TRANSFER and e["to_org_id"] is None:
                    cell, status, exempt = None, None, False
                elif kind == TRANSFER:
                    if e["from_org_id"] is None:
                        # received from outside: the standing written on the event, else the one
                        # held before leaving for outside, else (a first entry) official
                        held = OFFICIAL if was_official else PROBATIONARY
                        default = OFFICIAL if e["id"] == evs[0]["id"] else held
                        status = e["details"].get("status", default)
                        was_official = was_official or status == OFFICIAL
                    cell = e["to_org_id"]
                elif kind == REORGANIZATION:
                    cell = e["to_org_id"]
                elif kind in (EXEMPTION, EXEMPTION_END):
                    exempt = kind == EXEMPTION
                elif kind in (DEATH, REMOVAL, LEAVING) or (
                    kind == DISCIPLINE and e["form"] == "khai_tru"
                ):
                    cell, status, exempt = None, None, False
            if status is None or not tree.within(cell, root, day):
                continue
            out[f"members_{which}"] += 1
            out[f"{'official' if status == OFFICIAL else 'probationary'}_{which}"] += 1
            out[f"women_{which}"] += member_id in women
            out[f"exempt_{which}"] += exempt
    return out


def _candidates(tree: Tree, root: int, start: date, end: date) -> dict[str, int]:
    out = dict.fromkeys(CANDIDATE_STAGES.values(), 0)
    for stage, on, org_id in CandidateStep.objects.filter(
        stage__in=list(CANDIDATE_STAGES), effective_on__range=(start, end)
    ).values_list("stage", "effective_on", "org_id"):
        if tree.within(org_id, root, on):
            out[CANDIDATE_STAGES[stage]] += 1
    return out


def reference_figures(org, start: date, end: date) -> dict:
    """Stocks and every flow of `org` over [start, end], counted from the raw rows."""
    root = org if isinstance(org, int) else org.pk
    tree, events = Tree(), _live_events()
    out = _stocks(events, tree, root, {"start": start - timedelta(days=1), "end": end})
    out.update(_flows(events, tree, root, start, end))
    out.update(_candidates(tree, root, start, end))
    return out


COMPARED_KEYS = (*STOCK_KEYS, *FLOW_KEYS, "badges_by_milestone", "disciplined", "disciplined_total")


def differences(figures, expected: dict) -> dict:
    """{key: (product, expected)} for each compared key that `expected` has and that differs."""
    got = as_mapping(figures)
    return {
        k: (got.get(k), expected[k])
        for k in COMPARED_KEYS
        if k in expected and got.get(k) != expected[k]
    }


def assert_same_as_reference(figures, org, start: date, end: date) -> None:
    """Every stock and flow key of the product's figures equals the independent count, one by one."""
    want = reference_figures(org, start, end)
    wrong = differences(figures, want)
    assert not wrong, f"{org} {start}–{end}: (product, reference) differ for {wrong}"
    assert identity_holds(want), want
