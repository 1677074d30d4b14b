"""Matrix cases of the Excel import pages: an upload for P1-C1 (in every role's scope) and
one for P2-C1 (out of it), each with a wrong row so its error workbook exists."""

from dangbo.accounts.permissions import Action
from dangbo.web.imports.uploads import upload_create
from tests.web.matrix.case import Case
from tests.xlsx_import.sheets import MEMBERS, workbook


def upload(world, in_scope: bool) -> dict:
    key = f"upload_{in_scope}"
    if key not in world.extra:
        org = world.org_in if in_scope else world.org_out
        bad = (
            "Sai Ngày Sinh",
            "Nam",
            "31/02/1980",
            None,
            "",
            "Chính thức",
            "1/1/2000",
            "1/1/2001",
            None,
        )
        world.extra[key] = upload_create(
            workbook([*MEMBERS, bad]),
            owner_id=0,
            org_id=org.pk,
            kind="dang_vien",
            on="2024-01-01",
            filename="ds.xlsx",
        ).token
    return {"token": world.extra[key]}


CASES = [
    Case("web:imports", Action.RECORD_EVENTS, methods=("GET", "POST")),
    Case("web:import_template", Action.RECORD_EVENTS, query="?loai=su_kien"),
    Case("web:import_map", Action.RECORD_EVENTS, upload, methods=("GET", "POST")),
    Case("web:import_errors", Action.RECORD_EVENTS, upload),
]
