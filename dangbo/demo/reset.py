"""What in the database is the demo's, and the wipe that clears it for a reload.

The demo marks its data two ways: its root organization has the code ``CITY_CODE`` and
every write it makes is audited with the actor ``ACTOR``; each load ends with an audit row
``demo_load``. Anything else — another root organization, a write audited by another actor
since the last load, or data without the demo's root — is not the demo's.
"""

from __future__ import annotations

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction

from dangbo.core.append_only import ledger_maintenance
from dangbo.core.models import AuditEntry, LedgerMaintenance
from dangbo.demo.common import ACTOR, CITY_CODE
from dangbo.organizations.models import OrgKind, OrgVersion

#: audit actions that read and write nothing; they do not make data non-demo
READ_ACTIONS = ("interchange_export",)
LOAD_MARK = "demo_load"
RESET_MARK = "demo_reset"


def demo_loaded() -> bool:
    return OrgVersion.objects.filter(code=CITY_CODE, parent__isnull=True).exists()


def _product_models() -> list[type[models.Model]]:
    """The product's tables that a reset empties: all but organization kinds, the audit log and
    the maintenance flag."""
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m.__module__.startswith("dangbo.")
        and m._meta.managed
        and not m._meta.proxy
        and m not in (OrgKind, AuditEntry, LedgerMaintenance)
    ]


def demo_foreign() -> list[str]:
    """Why the database holds data that is not the demo's; empty when it holds only the demo's
    (or nothing).

    Without the demo's root, any record at all is foreign. A database loaded before loads were
    marked counts every write audited by another actor.
    """
    if not demo_loaded():
        filled = [
            str(m._meta.verbose_name)
            for m in _product_models()
            if not m._meta.auto_created and m._default_manager.exists()
        ]
        return [f"có dữ liệu ({', '.join(filled[:5])}) mà không có dữ liệu mẫu"] if filled else []
    found = []
    roots = sorted(
        set(
            OrgVersion.objects.filter(parent__isnull=True)
            .exclude(code=CITY_CODE)
            .values_list("code", flat=True)
        )
    )
    if roots:
        found.append(f"tổ chức không thuộc dữ liệu mẫu: {', '.join(roots[:5])}")
    writes = AuditEntry.objects.exclude(actor=ACTOR).exclude(action__in=READ_ACTIONS)
    mark = AuditEntry.objects.filter(action=LOAD_MARK, actor=ACTOR).order_by("-pk").first()
    if mark is not None:
        writes = writes.filter(pk__gt=mark.pk)
    count = writes.count()
    if count:
        first = writes.order_by("pk").first()
        assert first is not None
        found.append(
            f"{count} thao tác ghi không phải của dữ liệu mẫu (đầu tiên: «{first.action}» "
            f"do «{first.actor}» ngày {first.at:%d/%m/%Y})"
        )
    return found


def demo_mark(action: str, **after: object) -> None:
    """Audit a load or a reset of the demo."""
    AuditEntry.objects.create(
        actor=ACTOR, action=action, object_type="demo", object_id=CITY_CODE, after=after or None
    )


def demo_reset() -> None:
    """Delete every record of the product and restart the numbering.

    Organization kinds and the audit log stay. Runs in the caller's transaction (or its own).
    """
    product = _product_models()
    # children before the tables they point to (foreign keys are also deferred to commit)
    order: list = []
    seen: set = set()

    def visit(model) -> None:
        if model in seen:
            return
        seen.add(model)
        for other in product:
            if other is not model and any(
                f.is_relation and f.related_model is model and f.concrete
                for f in other._meta.get_fields()
            ):
                visit(other)
        order.append(model)

    for model in product:
        visit(model)
    tables = [m._meta.db_table for m in order]
    # the ledger is append-only: emptying it is its maintenance path
    with transaction.atomic(), ledger_maintenance("demo --reset"):
        if connection.vendor == "postgresql":
            # TRUNCATE refuses tables with deferred foreign-key checks pending in this transaction
            connection.check_constraints()
        connection.ops.execute_sql_flush(
            connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=False)
        )
