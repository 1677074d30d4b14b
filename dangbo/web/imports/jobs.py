"""The background task writing a confirmed import."""

from __future__ import annotations

from datetime import date

from django_tasks import TaskContext, task

from dangbo.core.errors import DomainError
from dangbo.organizations.models import Organization
from dangbo.web.imports.bundle import bundle_parts, bundle_sheets, saved_mappings
from dangbo.web.imports.uploads import Upload, upload_data, upload_delete, upload_get
from dangbo.web.tasks.store import publish_result, report_progress
from dangbo.xlsx_import.bundle import BUNDLE, BundleRefused, import_sheets
from dangbo.xlsx_import.fields import SheetKind
from dangbo.xlsx_import.sheet import read_table
from dangbo.xlsx_import.write import ImportRefused, import_table


@task(takes_context=True)
def xlsx_import(context: TaskContext, token: str, actor: str) -> str:
    """Import the upload `token` with its confirmed mapping, all or nothing; the result file
    says what was written. A row refused meanwhile (the register changed since the preview)
    fails the task and writes nothing; the upload stays for another try."""
    task_id = str(context.task_result.id)
    upload = upload_get(token)
    if upload is None or (upload.mapping is None and upload.kind != BUNDLE):
        raise DomainError("Tệp nhập không còn hoặc chưa xác nhận ghép cột.")
    if upload.kind == BUNDLE:
        return _bundle(task_id, upload, actor)
    kind = SheetKind(upload.kind)
    data = upload_data(upload)
    table = read_table(data, kind, upload.sheet)
    positions = upload.positions()
    assert positions is not None

    def progress(done: int, total: int, label: str) -> None:
        report_progress(task_id, done, total, label)

    try:
        outcome = import_table(
            kind=kind,
            org=Organization.objects.get(pk=upload.org_id),
            on=date.fromisoformat(upload.on),
            table=table,
            mapping=positions,
            actor=actor,
            filename=upload.filename,
            progress=progress,
        )
    except ImportRefused as exc:
        raise DomainError(
            f"{exc.message} Mở lại trang nhập để xem lỗi và tải bảng tính có cột lỗi."
        ) from None
    upload_delete(upload)
    summary = (
        f"Đã nhập {outcome.written} dòng ({kind.label.lower()}) từ tệp «{upload.filename}», "
        f"trang «{table.sheet}».\n"
    )
    return publish_result(task_id, "ket-qua-nhap.txt", summary.encode())


def _bundle(task_id: str, upload: Upload, actor: str) -> str:
    """A workbook of event lists: every sheet written together, or none."""
    if saved_mappings(upload) is None:
        raise DomainError("Tệp nhập chưa xác nhận ghép cột.")
    data = upload_data(upload)
    parts = bundle_parts(upload, bundle_sheets(upload, data)[1])

    def progress(done: int, total: int, label: str) -> None:
        report_progress(task_id, done, total, label)

    try:
        outcome = import_sheets(
            org=Organization.objects.get(pk=upload.org_id),
            on=date.fromisoformat(upload.on),
            sheets=parts,
            actor=actor,
            filename=upload.filename,
            progress=progress,
        )
    except BundleRefused as exc:
        raise DomainError(
            f"{exc.message} Mở lại trang nhập để xem lỗi và tải bảng tính có cột lỗi."
        ) from None
    upload_delete(upload)
    lines = [f"Đã nhập {outcome.written} dòng từ tệp «{upload.filename}»:"]
    lines += [
        f"- {p.kind.label}: {len(p.rows)} dòng (trang «{p.table.sheet}»)" for p in outcome.plans
    ]
    return publish_result(task_id, "ket-qua-nhap.txt", ("\n".join(lines) + "\n").encode())
