"""Reorganization services: found, rename, move, merge, split, dissolve.

Each is atomic, records a :class:`Reorganization` with its decision, rewrites only the
future of the tree (a change dated D never touches intervals before D), rebuilds the
closure table and, when members' position in the tree changes, writes their
reorganization events into the membership ledger dated D.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

from django.db import transaction

from dangbo.core.dates import FOREVER
from dangbo.core.errors import DomainError, InvalidInput
from dangbo.core.models import Decision, IssuerLevel
from dangbo.core.services import audit, decision_get_or_create
from dangbo.organizations.closure import closure_rebuild
from dangbo.organizations.error_codes import OrganizationErrorCode
from dangbo.organizations.members import member_roll
from dangbo.organizations.models import (
    Organization,
    OrgClosure,
    OrgKind,
    OrgVersion,
    Reorganization,
    ReorgKind,
    Term,
)
from dangbo.organizations.rules import check_code_free
from dangbo.organizations.selectors import org_version_on

T = TypeVar("T")


def _current_version(org: Organization, on: date) -> OrgVersion:
    latest = org.versions.order_by("-valid_from").first()
    if latest is None or latest.valid_to != FOREVER:
        raise DomainError(
            f"Tổ chức #{org.pk} đã chấm dứt hoạt động, không thể thay đổi.",
            code=OrganizationErrorCode.TO_CHUC_DA_CHAM_DUT,
        )
    if on < latest.valid_from:
        raise DomainError(
            f"Tổ chức «{latest.name}» đã có thay đổi từ ngày {latest.valid_from:%d/%m/%Y}; "
            f"không thể ghi thay đổi lùi về ngày {on:%d/%m/%Y}.",
            code=OrganizationErrorCode.THAY_DOI_LUI_NGAY,
        )
    return latest


def _change_version(org: Organization, on: date, **changes) -> OrgVersion:
    """Close the current version at `on` and open one with `changes` (same day: amend it).

    `changes` use the column names: name, code, doc_code, kind_id, parent_id, decision_id.
    """
    current = _current_version(org, on)
    if current.valid_from == on:
        for field, value in changes.items():
            setattr(current, field, value)
        current.save(update_fields=[f.removesuffix("_id") for f in changes])
        return current
    current.valid_to = on
    current.save(update_fields=["valid_to"])
    fields = {
        f: getattr(current, f)
        for f in ("name", "code", "doc_code", "kind_id", "parent_id", "decision_id")
    }
    fields.update(changes)
    return OrgVersion.objects.create(org=org, valid_from=on, **fields)


def _check_parent(
    parent: Organization | None, on: date, *, child: Organization | None = None
) -> None:
    if parent is None:
        return
    pv = org_version_on(parent, on, field="parent", what="Tổ chức cấp trên")
    if pv.kind.holds_members and not pv.kind.is_base:
        raise InvalidInput(
            f"«{pv.name}» là chi bộ trực thuộc, không thể có tổ chức cấp dưới.", field="parent"
        )
    if (
        child is not None
        and OrgClosure.objects.filter(
            ancestor=child, descendant=parent, valid_from__lte=on, valid_to__gt=on
        ).exists()
    ):
        raise InvalidInput(
            f"Không thể đặt «{pv.name}» làm cấp trên của chính tổ chức cấp dưới của nó.",
            field="parent",
        )


def _check_code_free(code: str, on: date, *, org: Organization | None = None) -> None:
    if not code.strip():
        raise InvalidInput("Trường «mã» không được để trống.", field="code")
    clash = OrgVersion.objects.filter(code__iexact=code, valid_to__gt=on)
    if org is not None:
        clash = clash.exclude(org=org)
    for v in check_code_free(code=code, taken=clash.exists()):
        raise InvalidInput(v.sentence(), code=v.rule, field="code")


def _record(
    kind: str, on: date, decision: Decision | None, actor: str, **details
) -> Reorganization:
    return Reorganization.objects.create(
        kind=kind, effective_on=on, decision=decision, actor=actor, details=details
    )


def _members_on(org_ids: list[int], on: date) -> list[tuple[int, int]]:
    return member_roll().members_on(org_ids, on)


def _subtree_on(org: Organization, on: date) -> list[int]:
    return list(
        OrgClosure.objects.filter(ancestor=org, valid_from__lte=on, valid_to__gt=on).values_list(
            "descendant_id", flat=True
        )
    )


def _reorganize_members(
    moves: list[tuple[int, int, int]], on: date, reorg: Reorganization, actor: str
):
    if not moves:
        return
    member_roll().reorganize(moves=moves, on=on, reorganization=reorg, actor=actor)


@transaction.atomic
def org_found(
    *,
    kind: OrgKind,
    name: str,
    code: str,
    on: date,
    parent: Organization | None = None,
    doc_code: str = "",
    decision: Decision | None = None,
    actor: str,
) -> Organization:
    """Found an organization under `parent` (None: a root) from `on`."""
    if not name.strip():
        raise InvalidInput("Trường «tên tổ chức» không được để trống.", field="name")
    _check_parent(parent, on)
    _check_code_free(code, on)
    org = Organization.objects.create(founded_on=on)
    OrgVersion.objects.create(
        org=org,
        valid_from=on,
        name=name.strip(),
        code=code.strip(),
        doc_code=doc_code,
        kind=kind,
        parent=parent,
        decision=decision,
    )
    _record(ReorgKind.FOUND, on, decision, actor, org=org.pk, parent=parent.pk if parent else None)
    closure_rebuild()
    audit(actor=actor, action="org_found", obj=org, after={"name": name, "code": code})
    return org


@transaction.atomic
def org_rename(
    *,
    org: Organization,
    on: date,
    name: str | None = None,
    code: str | None = None,
    doc_code: str | None = None,
    kind: OrgKind | None = None,
    decision: Decision | None = None,
    actor: str,
) -> OrgVersion:
    """Change name, code or kind from `on`; the tree itself does not change."""
    changes: dict = {}
    if name is not None:
        if not name.strip():
            raise InvalidInput("Trường «tên tổ chức» không được để trống.", field="name")
        changes["name"] = name.strip()
    if code is not None:
        _check_code_free(code, on, org=org)
        changes["code"] = code.strip()
    if doc_code is not None:
        changes["doc_code"] = doc_code
    if kind is not None:
        changes["kind_id"] = kind.pk
    if decision is not None:
        changes["decision_id"] = decision.pk
    before = org.latest_version
    version = _change_version(org, on, **changes)
    _record(
        ReorgKind.RENAME, on, decision, actor, org=org.pk, before=before.name, after=version.name
    )
    audit(
        actor=actor,
        action="org_rename",
        obj=org,
        before={"name": before.name, "code": before.code},
        after={"name": version.name, "code": version.code},
    )
    return version


@transaction.atomic
def org_move(
    *,
    org: Organization,
    parent: Organization,
    on: date,
    decision: Decision | None = None,
    actor: str,
    _reorg: Reorganization | None = None,
) -> None:
    """Attach `org` (with its subtree) to `parent` from `on`.

    Members of the subtree keep their cell; each gets a reorganization event on `on`, so
    figures of the old and new superiors show them as reorganized out and in.
    """
    _check_parent(parent, on, child=org)
    before = _current_version(org, on).parent_id
    members = _members_on(_subtree_on(org, on - timedelta(days=1)), on - timedelta(days=1))
    _change_version(org, on, parent_id=parent.pk)
    reorg = _reorg or _record(
        ReorgKind.MOVE, on, decision, actor, org=org.pk, before=before, after=parent.pk
    )
    closure_rebuild()
    _reorganize_members([(m, c, c) for m, c in members], on, reorg, actor)
    audit(
        actor=actor,
        action="org_move",
        obj=org,
        before={"parent": before},
        after={"parent": parent.pk},
    )


def _end(org: Organization, on: date) -> None:
    current = _current_version(org, on)
    if current.valid_from == on:
        raise DomainError(
            f"«{current.name}» vừa có thay đổi ngày {on:%d/%m/%Y}; không thể chấm dứt cùng ngày.",
            code=OrganizationErrorCode.THAY_DOI_LUI_NGAY,
        )
    later = member_roll().first_joined_from(org.pk, on)
    if later is not None:
        raise DomainError(
            f"«{current.name}» có đảng viên sinh hoạt từ ngày {later:%d/%m/%Y}, sau ngày chấm dứt "
            f"{on:%d/%m/%Y}; hãy điều chỉnh các sự kiện đó trong sổ đảng viên trước.",
            code=OrganizationErrorCode.CON_DANG_VIEN,
        )
    current.valid_to = on
    current.save(update_fields=["valid_to"])
    org.dissolved_on = on
    org.save(update_fields=["dissolved_on"])


def _children_on(org: Organization, on: date) -> list[Organization]:
    return list(
        Organization.objects.filter(
            versions__parent=org, versions__valid_from__lte=on, versions__valid_to__gt=on
        )
    )


@transaction.atomic
def org_merge(
    *,
    sources: list[Organization],
    into: Organization,
    on: date,
    decision: Decision | None = None,
    actor: str,
) -> Reorganization:
    """Merge `sources` into `into` on `on`: their sub-organizations move under `into`,
    their own members move into `into` (which must then hold members), and they end.

    Every member whose place in the tree changes gets a reorganization event on `on`.
    """
    if not sources:
        raise InvalidInput("Cần ít nhất một tổ chức được hợp nhất.", field="sources")
    if into in sources:
        raise InvalidInput(
            "Tổ chức tiếp nhận không thể đồng thời là tổ chức bị hợp nhất.", field="into"
        )
    into_v = org_version_on(into, on, field="into", what="Tổ chức tiếp nhận")
    eve = on - timedelta(days=1)
    reorg = _record(
        ReorgKind.MERGE, on, decision, actor, sources=[s.pk for s in sources], into=into.pk
    )
    moves: list[tuple[int, int, int]] = []
    for source in sources:
        sv = _current_version(source, on)
        direct = _members_on([source.pk], eve)
        if direct and not into_v.kind.holds_members:
            raise InvalidInput(
                f"«{sv.name}» có đảng viên sinh hoạt trực tiếp nhưng «{into_v.name}» không phải chi bộ.",
                field="into",
            )
        moves.extend((m, c, into.pk) for m, c in direct)
        for child in _children_on(source, on):
            _check_parent(into, on, child=child)
            moves.extend((m, c, c) for m, c in _members_on(_subtree_on(child, eve), eve))
            _change_version(child, on, parent_id=into.pk)
        _end(source, on)
    closure_rebuild()
    _reorganize_members(moves, on, reorg, actor)
    audit(actor=actor, action="org_merge", obj=into, after={"sources": [s.pk for s in sources]})
    return reorg


@transaction.atomic
def org_split(
    *,
    source: Organization,
    parts: list[dict],
    on: date,
    dissolve_source: bool = True,
    decision: Decision | None = None,
    actor: str,
) -> Reorganization:
    """Split `source` on `on`: each part is ``{"into": org, "members": [ids], "children": [orgs]}``.

    When the source ends, every member and sub-organization it had must be assigned.
    """
    eve = on - timedelta(days=1)
    sv = _current_version(source, on)
    direct = dict(_members_on([source.pk], eve))
    children = {c.pk: c for c in _children_on(source, on)}
    assigned_members: set[int] = set()
    assigned_children: set[int] = set()
    reorg = _record(
        ReorgKind.SPLIT, on, decision, actor, source=source.pk, parts=[p["into"].pk for p in parts]
    )
    moves: list[tuple[int, int, int]] = []
    for part in parts:
        target: Organization = part["into"]
        tv = org_version_on(target, on, field="parts", what="Tổ chức nhận")
        for member_id in part.get("members", []):
            if member_id not in direct:
                raise InvalidInput(
                    f"Đảng viên #{member_id} không sinh hoạt tại «{sv.name}» vào ngày {eve:%d/%m/%Y}.",
                    field="parts.members",
                )
            if not tv.kind.holds_members:
                raise InvalidInput(
                    f"«{tv.name}» không phải chi bộ, không nhận đảng viên.", field="parts"
                )
            assigned_members.add(member_id)
            moves.append((member_id, source.pk, target.pk))
        for child in part.get("children", []):
            if child.pk not in children:
                raise InvalidInput(
                    f"Tổ chức #{child.pk} không trực thuộc «{sv.name}».", field="parts.children"
                )
            _check_parent(target, on, child=child)
            assigned_children.add(child.pk)
            moves.extend((m, c, c) for m, c in _members_on(_subtree_on(child, eve), eve))
            _change_version(child, on, parent_id=target.pk)
    if dissolve_source:
        missing_m = set(direct) - assigned_members
        missing_c = set(children) - assigned_children
        if missing_m or missing_c:
            raise InvalidInput(
                f"Chưa phân bổ {len(missing_m)} đảng viên và {len(missing_c)} tổ chức trực thuộc "
                f"của «{sv.name}» trước khi chấm dứt.",
                field="parts",
            )
        _end(source, on)
    closure_rebuild()
    _reorganize_members(moves, on, reorg, actor)
    audit(
        actor=actor, action="org_split", obj=source, after={"parts": [p["into"].pk for p in parts]}
    )
    return reorg


@transaction.atomic
def org_dissolve(
    *, org: Organization, on: date, decision: Decision | None = None, actor: str
) -> Reorganization:
    """End an organization that no longer has members or sub-organizations."""
    v = _current_version(org, on)
    eve = on - timedelta(days=1)
    if _children_on(org, on):
        raise DomainError(
            f"«{v.name}» còn tổ chức trực thuộc; hãy hợp nhất hoặc điều chuyển trước khi giải thể.",
            code=OrganizationErrorCode.CON_TO_CHUC_TRUC_THUOC,
        )
    if _members_on([org.pk], eve) or _members_on([org.pk], on):
        raise DomainError(
            f"«{v.name}» còn đảng viên sinh hoạt; hãy hợp nhất vào tổ chức khác thay vì giải thể.",
            code=OrganizationErrorCode.CON_DANG_VIEN,
        )
    reorg = _record(ReorgKind.DISSOLVE, on, decision, actor, org=org.pk)
    _end(org, on)
    closure_rebuild()
    audit(actor=actor, action="org_dissolve", obj=org, before={"name": v.name})
    return reorg


@transaction.atomic
def term_open(
    *,
    org: Organization,
    label: str,
    starts_on: date,
    congress_number: int | None = None,
    actor: str,
) -> Term:
    """Open a new term of `org` from `starts_on`; the previous open term ends that day."""
    import re

    if not re.fullmatch(r"\d{4}[–-]\d{4}", label.strip()):
        raise InvalidInput(f"Nhiệm kỳ «{label}» phải có dạng 2020–2025.", field="label")
    label = label.strip().replace("-", "–")
    previous = org.terms.filter(ends_on=FOREVER).first()
    if previous is not None:
        if starts_on <= previous.starts_on:
            raise InvalidInput(
                f"Nhiệm kỳ mới phải bắt đầu sau ngày {previous.starts_on:%d/%m/%Y} "
                f"(nhiệm kỳ {previous.label}).",
                field="starts_on",
            )
        previous.ends_on = starts_on
        previous.save(update_fields=["ends_on"])
    term = Term.objects.create(
        org=org, label=label, starts_on=starts_on, congress_number=congress_number
    )
    audit(actor=actor, action="term_open", obj=term, after={"org": org.pk, "label": label})
    return term


@dataclass(frozen=True)
class DecisionRef:
    """The reference of the decision ordering a reorganization, as a clerk types it."""

    number: str
    issued_on: date
    issuer: str
    issuer_level: str = IssuerLevel.BASE


@transaction.atomic
def org_reorganize(
    service: Callable[..., T], /, *, decision: DecisionRef | None = None, **kwargs: Any
) -> T:
    """Record `decision` (when given) and run one of the reorganization services above with
    it, in one transaction: a refused reorganization leaves no decision behind."""
    if decision is not None:
        kwargs["decision"] = decision_get_or_create(
            number=decision.number,
            issued_on=decision.issued_on,
            issuer=decision.issuer,
            issuer_level=decision.issuer_level,
        )
    return service(**kwargs)
