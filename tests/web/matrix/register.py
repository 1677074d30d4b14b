from tests.web.matrix.case import Case

CASES: list[Case] = []
