from datetime import date

from dangbo.accounts.permissions import Action
from dangbo.meetings.references import meeting_ref
from dangbo.meetings.services import cell_meeting_record, task_add
from tests.conftest import ACTOR
from tests.web.matrix.case import Case


def _meetings(world, in_scope: bool) -> dict:
    """May and June meetings of cell P1-C1 (in every role's scope) or P2-C1, a task set in
    May to review in June."""
    key = f"meetings_{in_scope}"
    if key not in world.extra:
        cell = world.org_in if in_scope else world.org_out
        may = cell_meeting_record(
            cell=cell, held_on=date(2024, 5, 10), present=1, speakers=1, actor=ACTOR
        )
        task = task_add(meeting=may, text="Thu đảng phí quý II", actor=ACTOR)
        june = cell_meeting_record(
            cell=cell, held_on=date(2024, 6, 10), present=1, speakers=0, actor=ACTOR
        )
        world.extra[key] = (may, task, june)
    return world.extra[key]


def _ref(world, in_scope: bool) -> dict:
    return {"ref": meeting_ref(_meetings(world, in_scope)[0])}


def _review(world, in_scope: bool) -> dict:
    _, task, june = _meetings(world, in_scope)
    return {"ref": meeting_ref(june), "task": task.pk}


def _docx(world, in_scope: bool) -> dict:
    return {**_ref(world, in_scope), "fmt": "docx"}


CASES = [
    Case("web:meetings", Action.VIEW_PARTY_WORK),
    Case("web:meeting_new", Action.RECORD_MEETINGS, methods=("GET", "POST")),
    Case("web:cell_meeting_new", Action.RECORD_MEETINGS, methods=("GET", "POST")),
    Case("web:meeting", Action.VIEW_PARTY_WORK, _ref),
    Case("web:meeting_edit", Action.RECORD_MEETINGS, _ref, methods=("GET", "POST")),
    Case("web:meeting_task_add", Action.RECORD_MEETINGS, _ref, methods=("GET", "POST")),
    Case("web:meeting_task_review", Action.RECORD_MEETINGS, _review, methods=("GET", "POST")),
    Case("web:meeting_news", Action.VIEW_PARTY_WORK, _ref),
    Case("web:meeting_news_edit", Action.RECORD_MEETINGS, _ref, methods=("GET", "POST")),
    Case("web:meeting_news_download", Action.VIEW_PARTY_WORK, _docx),
]
