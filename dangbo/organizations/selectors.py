"""Reads of the organization tree; every one takes the date it is about."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import cast

from dangbo.core.errors import InvalidInput, NotFound
from dangbo.organizations.models import Organization, OrgClosure, OrgVersion, Term

#: What to run on a database that has dangbo's tables but no organization yet.
EMPTY_DATABASE_MESSAGE = (
    "Cơ sở dữ liệu chưa có tổ chức đảng nào; hãy nhập dữ liệu của văn phòng bằng "
    "«dangbo import TỆP» (cây tổ chức và đảng viên nhập sổ, xem docs/interchange.md) "
    "hoặc tạo dữ liệu mẫu bằng «dangbo demo»."
)


def require_organizations() -> None:
    """Refuse to go on when the database holds no organization (a fresh office database):
    the message says what to run."""
    if not Organization.objects.exists():
        raise NotFound(EMPTY_DATABASE_MESSAGE, field="ORG")


def org_resolve(ref: str | int, *, on: date | None = None) -> Organization:
    """Find an organization by id or by code (the code in force on `on`, else the latest)."""
    text = str(ref).strip()
    if text.isascii() and text.isdigit() and len(text) <= 18:  # an id, not a huge number
        org = Organization.objects.filter(pk=int(text)).first()
        if org:
            return org
    versions = OrgVersion.objects.filter(code__iexact=text)
    version = None
    if on is not None:
        version = versions.filter(valid_from__lte=on, valid_to__gt=on).first()
    version = version or versions.order_by("-valid_from").first()
    if version is None:
        require_organizations()
        raise NotFound(f"Không tìm thấy tổ chức đảng có mã hoặc số hiệu «{text}».", field="ORG")
    return version.org


def _padded(d: date) -> str:
    return f"{d:%d/%m/%Y}"


def org_version_on(
    org: Organization,
    on: date,
    *,
    field: str = "org",
    what: str = "Tổ chức",
    day: Callable[[date], str] = _padded,
) -> OrgVersion:
    """The organization's version in force on `on`, with its kind; refuse when it did not exist.

    The refusal (:class:`InvalidInput` on `field`) names the organization by id and latest
    name and gives the date written by `day` ("01/05/2017" unless the caller writes dates
    its own way); `what` names its role in the request ("Tổ chức cấp trên").
    """
    version = (
        OrgVersion.objects.filter(org=org, valid_from__lte=on, valid_to__gt=on)
        .select_related("kind")
        .first()
    )
    if version is None:
        raise InvalidInput(
            f"{what} #{org.pk} ({org}) không tồn tại vào ngày {day(on)}.", field=field
        )
    return version


def org_version_shown(org: Organization, on: date) -> OrgVersion:
    """The version to show for `org` on `on`: the one in force, else its latest (for labels).

    Never refuses: an organization dissolved before `on` keeps its last name.
    """
    versions = OrgVersion.objects.filter(org=org).select_related("kind")
    found = versions.filter(valid_from__lte=on, valid_to__gt=on).first()
    # every organization has a version from its founding on
    return found or cast(OrgVersion, versions.order_by("-valid_from").first())


def org_name_on(org: Organization, on: date) -> str:
    """The organization's name on `on` (its latest name when it did not exist then)."""
    v = org_version_shown(org, on)
    return v.name if v else f"Tổ chức #{org.pk}"


@dataclass(frozen=True)
class TreeNode:
    id: int
    code: str
    doc_code: str
    name: str
    kind: str
    kind_name: str
    parent_id: int | None
    depth: int
    founded_on: date
    dissolved_on: date | None


def org_tree(*, on: date) -> list[TreeNode]:
    """The whole tree as it stood on `on`, depth-first, children in code order."""
    versions = list(
        OrgVersion.objects.filter(valid_from__lte=on, valid_to__gt=on).select_related("kind", "org")
    )
    children: dict[int | None, list[OrgVersion]] = {}
    for v in versions:
        children.setdefault(v.parent_id, []).append(v)
    for items in children.values():
        items.sort(key=lambda v: (v.kind.rank, v.code))
    alive = {v.org_id for v in versions}
    roots = [v for v in versions if v.parent_id is None or v.parent_id not in alive]
    roots.sort(key=lambda v: (v.kind.rank, v.code))
    out: list[TreeNode] = []
    stack = [(v, 0) for v in reversed(roots)]
    while stack:
        v, depth = stack.pop()
        out.append(
            TreeNode(
                id=v.org_id,
                code=v.code,
                doc_code=v.doc_code,
                name=v.name,
                kind=v.kind.code,
                kind_name=v.kind.name,
                parent_id=v.parent_id,
                depth=depth,
                founded_on=v.org.founded_on,
                dissolved_on=v.org.dissolved_on,
            )
        )
        stack.extend((c, depth + 1) for c in reversed(children.get(v.org_id, [])))
    return out


def subtree_ids(root: Organization, *, on: date) -> list[int]:
    return list(
        OrgClosure.objects.filter(ancestor=root, valid_from__lte=on, valid_to__gt=on).values_list(
            "descendant_id", flat=True
        )
    )


def is_within(org_id: int, root_id: int, *, on: date) -> bool:
    return OrgClosure.objects.filter(
        ancestor_id=root_id, descendant_id=org_id, valid_from__lte=on, valid_to__gt=on
    ).exists()


def org_label(org: Organization, *, on: date) -> str:
    v = org_version_shown(org, on)
    return f"{v.name} ({v.code})" if v else f"#{org.pk}"


def term_on(org: Organization, on: date) -> Term:
    """The term of `org` in force on `on`; a clear refusal when none was recorded."""
    term = org.terms.filter(starts_on__lte=on, ends_on__gt=on).first()
    if term is None:
        v = org_version_shown(org, on)
        raise NotFound(
            f"Chưa khai báo nhiệm kỳ của «{v.name}» vào ngày {on:%d/%m/%Y}; hãy khai báo nhiệm kỳ "
            "trước khi cấp số văn bản.",
            field="term",
        )
    return term
