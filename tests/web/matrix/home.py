from dangbo.accounts.permissions import Action
from tests.web.matrix.case import Case

CASES = [Case("web:home", Action.VIEW_ORGS)]
