from dangbo.accounts.permissions import Action
from tests.web.matrix.case import Case

CASES = [
    Case("web:register", Action.VIEW_MEMBERS, query="?q=nguyen&status=chinh_thuc"),
    Case("web:register_export", Action.EXPORT_MEMBERS, methods=("GET", "POST"), query="?q=an"),
]
