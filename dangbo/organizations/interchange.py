"""Organizations in the interchange file: kinds, decisions, the tree and reorganizations.

Also the helpers the other apps' checks use to ask about the file's organizations (the
version in force on a date, a term by its start date) and decisions.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING

from dangbo.core.dates import FOREVER
from dangbo.core.models import Decision, IssuerLevel
from dangbo.interchange.bulk import Importer, Table
from dangbo.interchange.reader import BAD, Checker, Rec, pairs_overlapping
from dangbo.interchange.schema import App, Field, RecordType, max_length, string
from dangbo.organizations.closure import closure_rebuild, compute_closure
from dangbo.organizations.models import (
    Organization,
    OrgKind,
    OrgVersion,
    Reorganization,
    ReorgKind,
    Term,
)
from dangbo.organizations.rules import check_code_free

if TYPE_CHECKING:
    from dangbo.interchange.export import Writer


ORG_KIND = RecordType(
    "org_kind",
    "",
    "loại tổ chức",
    (
        string(OrgKind, "name", required=True),
        Field("holds_members", "bool", default=False),
        Field("is_base", "bool", default=False),
        Field("rank", "int", default=0),
    ),
    code_length=max_length(OrgKind, "code"),
)
DECISION = RecordType(
    "decision",
    "decision",
    "quyết định",
    (
        string(Decision, "number", required=True),
        Field("issued_on", "date", required=True),
        string(Decision, "issuer", required=True),
        string(Decision, "issuer_level", required=True, choices=IssuerLevel.values),
        string(Decision, "title"),
    ),
)
VERSION_FIELDS = (
    Field("valid_from", "date", required=True),
    Field("valid_to", "date", default=FOREVER),
    string(OrgVersion, "name", required=True),
    string(OrgVersion, "code", required=True),
    string(OrgVersion, "doc_code"),
    Field("kind", "ref", required=True, target="org_kind"),
    Field("parent", "ref", target="organization"),
    Field("decision", "ref", target="decision"),
)
TERM_FIELDS = (
    string(Term, "label", required=True),
    Field("congress_number", "int"),
    Field("starts_on", "date", required=True),
    Field("ends_on", "date", default=FOREVER),
)
ORGANIZATION = RecordType(
    "organization",
    "org",
    "tổ chức đảng",
    (
        Field("founded_on", "date", required=True),
        Field("dissolved_on", "date"),
        Field("versions", "list", required=True, items=VERSION_FIELDS),
        Field("terms", "list", default=[], items=TERM_FIELDS),
    ),
)
REORGANIZATION = RecordType(
    "reorganization",
    "reorg",
    "sắp xếp tổ chức",
    (
        string(Reorganization, "kind", required=True, choices=ReorgKind.values),
        Field("effective_on", "date", required=True),
        Field("decision", "ref", target="decision"),
        string(Reorganization, "actor"),
        Field("details", "object", default={}),
    ),
)

#: Keys of a reorganization's `details` that name organizations, per reorganization kind.
REORG_ORG_KEYS: dict[str, tuple[str, ...]] = {
    ReorgKind.FOUND: ("org", "parent"),
    ReorgKind.RENAME: ("org",),
    ReorgKind.MOVE: ("org", "before", "after"),
    ReorgKind.MERGE: ("sources", "into"),
    ReorgKind.SPLIT: ("source", "parts"),
    ReorgKind.DISSOLVE: ("org",),
}


# -- what the other apps' checks ask


def org_kinds(ck: Checker) -> dict[str, tuple[bool, str, bool]]:
    """Kind code → (holds members, name, is base): the file's kinds over the database's."""
    kinds: dict[str, tuple[bool, str, bool]] = ck.state["org_kinds"]
    return kinds


def version_on(ck: Checker, org: int, on: date) -> dict | None:
    """The version of a well-formed organization of the file in force on `on`."""
    rec = ck.recs["organization"][org - 1]
    if rec.bad:
        return None
    for v in rec.get("versions"):
        if v["valid_from"] <= on < v["valid_to"]:
            return v
    return None


def org_ok(ck: Checker, org: int) -> bool:
    return not ck.recs["organization"][org - 1].bad


def has_term(ck: Checker, rec: Rec, org_field: str = "org") -> bool:
    """The record's `term` (a start date) names a term of its organization `org_field`."""
    org = ck.recs["organization"][rec.get(org_field) - 1]
    if any(t["starts_on"] == rec.get("term") for t in org.get("terms")):
        return True
    ck.err(
        rec.line,
        "term",
        f"«{org.ref}» không có nhiệm kỳ nào bắt đầu ngày "
        f"{rec.get('term').isoformat()} (trường «terms» của tổ chức).",
    )
    return False


def decision_on(ck: Checker, idx: int) -> date | None:
    on: date | None = ck.recs["decision"][idx - 1].get("issued_on")
    return on


# -- export


def _export(w: Writer) -> None:
    kinds = {}
    for k in OrgKind.objects.order_by("code"):
        kinds[k.pk] = k.code
        w.record(
            ORG_KIND,
            k.code,
            {
                "name": k.name,
                "holds_members": k.holds_members,
                "is_base": k.is_base,
                "rank": k.rank,
            },
        )
    decisions = w.number(Decision, DECISION)
    for d in Decision.objects.order_by("pk"):
        w.record(
            DECISION,
            decisions[d.pk],
            {
                "number": d.number,
                "issued_on": d.issued_on,
                "issuer": d.issuer,
                "issuer_level": d.issuer_level,
                "title": d.title,
            },
        )
    orgs = w.number(Organization, ORGANIZATION)
    versions: dict[int, list[dict]] = defaultdict(list)
    for v in OrgVersion.objects.order_by("org_id", "valid_from", "pk"):
        versions[v.org_id].append(
            {
                "valid_from": v.valid_from,
                "valid_to": v.valid_to,
                "name": v.name,
                "code": v.code,
                "doc_code": v.doc_code,
                "kind": kinds[v.kind_id],
                "parent": orgs.get(v.parent_id),
                "decision": decisions.get(v.decision_id),
            }
        )
    terms: dict[int, list[dict]] = defaultdict(list)
    for t in Term.objects.order_by("org_id", "starts_on"):
        terms[t.org_id].append(
            {
                "label": t.label,
                "congress_number": t.congress_number,
                "starts_on": t.starts_on,
                "ends_on": t.ends_on,
            }
        )
    for o in Organization.objects.order_by("pk"):
        w.record(
            ORGANIZATION,
            orgs[o.pk],
            {
                "founded_on": o.founded_on,
                "dissolved_on": o.dissolved_on,
                "versions": versions.get(o.pk, []),
                "terms": terms.get(o.pk, []),
            },
        )
    reorgs = w.number(Reorganization, REORGANIZATION)
    for r in Reorganization.objects.order_by("pk"):
        w.record(
            REORGANIZATION,
            reorgs[r.pk],
            {
                "kind": r.kind,
                "effective_on": r.effective_on,
                "decision": decisions.get(r.decision_id),
                "actor": r.actor,
                "details": _details_out(r.kind, r.details or {}, orgs),
            },
        )
    w.refs["term"] = dict(Term.objects.values_list("pk", "starts_on"))


def _details_out(kind: str, details: dict, orgs: dict[int, str]) -> dict:
    out = dict(details)
    for key in REORG_ORG_KEYS.get(kind, ()):
        value = out.get(key)
        if isinstance(value, list):
            out[key] = [orgs.get(v, v) for v in value]
        elif isinstance(value, int) and not isinstance(value, bool):
            out[key] = orgs.get(value, value)
    return out


# -- checks


def _prepare(ck: Checker) -> None:
    kinds = {k.code: (k.holds_members, k.name, k.is_base) for k in OrgKind.objects.all()}
    for k in ck.recs["org_kind"]:
        if not k.bad:
            kinds[k.ref] = (k.get("holds_members"), k.get("name"), k.get("is_base"))
    ck.state["org_kinds"] = kinds
    ck.codes["org_kind"] = set(kinds)
    ck.resolvers["reorganization"] = _resolve_details


def _resolve_details(ck: Checker, rec: Rec) -> bool:
    details = dict(rec.get("details"))
    ok = True
    for key in REORG_ORG_KEYS.get(rec.get("kind"), ()):
        value = details.get(key)
        if value is None:
            continue
        name = f"details.{key}"
        if isinstance(value, list):
            resolved = [
                ck.target(rec.line, f"{name}[{i}]", v, "organization")
                if isinstance(v, str)
                else _not_ref(ck, rec.line, f"{name}[{i}]")
                for i, v in enumerate(value, start=1)
            ]
            ok = ok and BAD not in resolved
            details[key] = resolved
        elif isinstance(value, str):
            details[key] = ck.target(rec.line, name, value, "organization")
            ok = ok and details[key] is not BAD
        else:
            ok = _not_ref(ck, rec.line, name) is not BAD and ok
    if ok and "details" in rec.v:
        rec.v["details"] = details
    return ok


def _not_ref(ck: Checker, line: int, name: str):
    ck.err(line, name, "phải là ref của một tổ chức đảng (chuỗi ký tự, ví dụ «org-3»).")
    return BAD


def _check(ck: Checker) -> None:
    _check_decisions(ck)
    _check_organizations(ck)


def _check_decisions(ck: Checker) -> None:
    seen: dict[tuple, int] = {}
    for d in ck.recs["decision"]:
        if d.bad:
            continue
        key = (d.get("number").strip(), d.get("issued_on"), d.get("issuer").strip())
        if key in seen:
            ck.err(
                d.line,
                "number",
                f"trùng số, ngày và cơ quan ban hành với quyết định ở dòng {seen[key]}.",
            )
            d.bad = True
        seen[key] = d.line


def _check_organizations(ck: Checker) -> None:
    orgs = ck.recs["organization"]
    codes: dict[str, list[tuple[date, date, Rec, str]]] = defaultdict(list)
    for o in orgs:
        if o.bad:
            continue
        versions = o.get("versions")
        founded, dissolved = o.get("founded_on"), o.get("dissolved_on")
        ok = True
        for i, v in enumerate(versions, start=1):
            where = f"versions[{i}]"
            if v["valid_to"] <= v["valid_from"]:
                ck.err(o.line, f"{where}.valid_to", "phải sau valid_from.")
                ok = False
            if i == 1 and v["valid_from"] != founded:
                ck.err(
                    o.line,
                    f"{where}.valid_from",
                    f"phiên bản đầu tiên phải bắt đầu từ ngày thành lập {founded.isoformat()}.",
                )
                ok = False
            if i > 1 and v["valid_from"] != versions[i - 2]["valid_to"]:
                ck.err(
                    o.line,
                    f"{where}.valid_from",
                    "phải bằng valid_to của phiên bản trước (các phiên bản nối tiếp nhau, "
                    "theo thứ tự thời gian).",
                )
                ok = False
            if v["parent"] == o.idx:
                ck.err(o.line, f"{where}.parent", "tổ chức không thể trực thuộc chính nó.")
                ok = False
            codes[v["code"].strip().lower()].append((v["valid_from"], v["valid_to"], o, v["code"]))
        for i, t in enumerate(o.get("terms"), start=1):
            if t["ends_on"] <= t["starts_on"]:
                ck.err(o.line, f"terms[{i}].ends_on", "phải sau starts_on.")
            elif i > 1 and t["starts_on"] < o.get("terms")[i - 2]["ends_on"]:
                ck.err(
                    o.line,
                    f"terms[{i}].starts_on",
                    "các nhiệm kỳ phải nối tiếp, không chồng lên nhau.",
                )
        end = versions[-1]["valid_to"]
        if dissolved is None and end != FOREVER:
            ck.err(
                o.line,
                "dissolved_on",
                f"phiên bản cuối kết thúc ngày {end.isoformat()} "
                "nên phải ghi ngày chấm dứt bằng ngày đó.",
            )
            ok = False
        if dissolved is not None and dissolved != end:
            ck.err(o.line, "dissolved_on", "phải bằng valid_to của phiên bản cuối.")
            ok = False
        o.bad = not ok
    for spans in codes.values():
        spans.sort(key=lambda s: (s[0], s[2].line))
        for (_a_from, a_to, a, _), (b_from, _b_to, b, b_code) in pairs_overlapping(spans):
            if a is not b and b_from < a_to:
                for v in check_code_free(code=b_code, taken=True):
                    ck.violation(b.line, "versions", v, where=f"«{a.ref}», dòng {a.line}")
                b.bad = True
    if not any(o.bad for o in orgs):
        try:
            compute_closure(
                [
                    (o.idx, v["parent"], v["valid_from"], v["valid_to"])
                    for o in orgs
                    for v in o.get("versions")
                ]
            )
        except ValueError as exc:
            found = re.search(r"#(\d+)", str(exc))
            o = orgs[int(found[1]) - 1] if found else orgs[0]
            ck.err(o.line, "versions", "quan hệ trực thuộc tạo thành vòng lặp trong cây tổ chức.")
            o.bad = True


# -- writing


def _write(imp: Importer) -> None:
    imp.say("Đang ghi tổ chức đảng…")
    kinds = _kinds(imp)
    org = lambda idx: imp.id("organization", idx)  # noqa: E731
    dec = lambda idx: imp.id("decision", idx)  # noqa: E731
    Table(Decision, ("id", "number", "issued_on", "issuer", "issuer_level", "title")).insert(
        (
            imp.id("decision", d.idx),
            d.get("number"),
            d.get("issued_on"),
            d.get("issuer"),
            d.get("issuer_level"),
            d.get("title"),
        )
        for d in imp.recs["decision"]
    )
    Table(Organization, ("id", "founded_on", "dissolved_on")).insert(
        (org(o.idx), o.get("founded_on"), o.get("dissolved_on")) for o in imp.recs["organization"]
    )
    Table(
        OrgVersion,
        (
            "org_id",
            "valid_from",
            "valid_to",
            "name",
            "code",
            "doc_code",
            "kind_id",
            "parent_id",
            "decision_id",
        ),
    ).insert(
        (
            org(o.idx),
            v["valid_from"],
            v["valid_to"],
            v["name"],
            v["code"],
            v["doc_code"],
            kinds[v["kind"]],
            org(v["parent"]),
            dec(v["decision"]),
        )
        for o in imp.recs["organization"]
        for v in o.get("versions")
    )
    closure_rebuild()
    terms: dict[tuple[int, date], int] = {}  # (organization, starts_on) → term id
    imp.keys["term"] = terms
    for o in imp.recs["organization"]:
        for t in o.get("terms"):
            terms[(o.idx, t["starts_on"])] = imp.first["term"] + len(terms)
    Table(Term, ("id", "org_id", "label", "congress_number", "starts_on", "ends_on")).insert(
        (
            terms[(o.idx, t["starts_on"])],
            org(o.idx),
            t["label"],
            t["congress_number"],
            t["starts_on"],
            t["ends_on"],
        )
        for o in imp.recs["organization"]
        for t in o.get("terms")
    )
    Table(
        Reorganization,
        ("id", "kind", "effective_on", "decision_id", "actor", "recorded_at", "details"),
    ).insert(
        (
            imp.id("reorganization", r.idx),
            r.get("kind"),
            r.get("effective_on"),
            dec(r.get("decision")),
            r.get("actor"),
            imp.now,
            _details(imp, r),
        )
        for r in imp.recs["reorganization"]
    )


def _kinds(imp: Importer) -> dict[str, int]:
    existing = {k.code: k for k in OrgKind.objects.all()}
    for k in imp.recs["org_kind"]:
        attrs = {
            "name": k.get("name"),
            "holds_members": k.get("holds_members"),
            "is_base": k.get("is_base"),
            "rank": k.get("rank"),
        }
        kind = existing.get(k.ref)
        if kind is None:
            existing[k.ref] = OrgKind.objects.create(code=k.ref, **attrs)
        elif any(getattr(kind, a) != v for a, v in attrs.items()):
            for a, v in attrs.items():
                setattr(kind, a, v)
            kind.save(update_fields=list(attrs))
    return {code: k.pk for code, k in existing.items()}


def _details(imp: Importer, r: Rec) -> dict:
    details = dict(r.get("details"))
    for key in REORG_ORG_KEYS.get(r.get("kind"), ()):
        value = details.get(key)
        if isinstance(value, list):
            details[key] = [imp.id("organization", v) for v in value]
        elif isinstance(value, int):
            details[key] = imp.id("organization", value)
    return details


APP = App(
    name="organizations",
    types=(ORG_KIND, DECISION, ORGANIZATION, REORGANIZATION),
    export=_export,
    check=_check,
    write=_write,
    ids=(
        ("decision", Decision),
        ("organization", Organization),
        ("term", Term),
        ("reorganization", Reorganization),
    ),
    tables=(Decision, Organization, OrgVersion, Term, Reorganization),
    occupied=(
        (Organization, "tổ chức đảng"),
        (Decision, "quyết định"),
        (Reorganization, "sắp xếp tổ chức"),
    ),
    prepare=_prepare,
)
