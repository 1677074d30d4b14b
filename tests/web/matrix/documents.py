"""Matrix cases of the document register: the list, its export, a document's page, its signed
scan, and the forms (issue, receive, upload, link). The document in scope is received by cell
P1-C1 (in every role's scope), the one out of scope by cell P2-C1; both carry a scan."""

from datetime import date

from django.core.files.base import ContentFile

from dangbo.accounts.permissions import Action
from dangbo.documents.services import document_receive
from tests.conftest import ACTOR
from tests.web.matrix.case import Case

PDF = b"%PDF-1.4\n%test\n"


def _doc(world, in_scope: bool):
    key = f"document_{in_scope}"
    if key not in world.extra:
        org = world.org_in if in_scope else world.org_out
        doc = document_receive(
            org=org,
            number=f"{'15' if in_scope else '16'}-KH/TU",
            issued_on=date(2024, 3, 1),
            received_on=date(2024, 3, 5),
            issuer_body="Ban Thường vụ Thành ủy",
            title="Kế hoạch thử",
            actor=ACTOR,
        )
        doc.scan.save(f"matrix-{doc.pk}.pdf", ContentFile(PDF), save=True)
        world.extra[key] = doc
    return {"pk": world.extra[key].pk}


CASES = [
    Case("web:documents", Action.VIEW_PARTY_WORK),
    Case("web:documents_xlsx", Action.VIEW_PARTY_WORK),
    Case("web:document", Action.VIEW_PARTY_WORK, _doc),
    Case("web:document_scan", Action.VIEW_PARTY_WORK, _doc),
    Case("web:document_issue", Action.MANAGE_DOCUMENTS, methods=("GET", "POST")),
    Case("web:document_receive", Action.MANAGE_DOCUMENTS, methods=("GET", "POST")),
    Case("web:document_scan_upload", Action.MANAGE_DOCUMENTS, _doc, methods=("GET", "POST")),
    Case("web:document_link", Action.MANAGE_DOCUMENTS, _doc, methods=("GET", "POST")),
]
