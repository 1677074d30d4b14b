"""The document register: numbering through the term, received numbers, duplicates, links and
their cycles, the implementation chain in one query, citations in running text, secret marks
and the review report's list. Expected numbers, chains and citations are written by hand."""

from __future__ import annotations

from datetime import date

import pytest

from dangbo.citations import CitationError
from dangbo.core.errors import InvalidInput, NotFound
from dangbo.documents.models import (
    Direction,
    Document,
    DocumentLink,
    IssuedNumber,
    Relation,
    SecurityMark,
)
from dangbo.documents.selectors import (
    documents_for_report,
    documents_in_period,
    implementation_chain,
    visible_documents,
)
from dangbo.documents.services import (
    DuplicateDocument,
    LinkRefused,
    document_extract_citations,
    document_issue,
    document_link,
    document_receive,
    document_update,
)
from dangbo.organizations.models import OrgKind
from dangbo.organizations.services import org_found, org_move, term_open
from tests.conftest import ACTOR

IMPL = Relation.IMPLEMENTS
BTV_TU = "Ban Thường vụ Thành ủy"
BTV_QU = "Ban Thường vụ Quận ủy"
BCT = "Bộ Chính trị"


def issue(org, type_code, on, title="Kế hoạch thử", body=None, **kw):
    body = body or f"Ban Thường vụ Đảng ủy phường {org.latest_version.code[-1]}"
    return document_issue(
        org=org, type_code=type_code, issued_on=on, title=title, issuer_body=body, actor=ACTOR, **kw
    )


def receive(org, number, issued_on, received_on, body, title="Văn bản cấp trên", **kw):
    return document_receive(
        org=org,
        number=number,
        issued_on=issued_on,
        received_on=received_on,
        issuer_body=body,
        title=title,
        actor=ACTOR,
        **kw,
    )


@pytest.fixture
def wards(city_tree):
    for key in ("w1", "w2"):
        term_open(org=city_tree[key], label="2020–2025", starts_on=date(2020, 7, 1), actor=ACTOR)
    return city_tree


# --- numbering -------------------------------------------------------------------------------


def test_issued_numbers_run_per_type_within_the_term(wards):
    w1 = wards["w1"]
    a = issue(w1, "KH", date(2021, 1, 5))
    b = issue(w1, "KH", date(2021, 3, 1))
    report = issue(w1, "BC", date(2021, 3, 1), title="Báo cáo sơ kết")
    secret = issue(
        w1, "KH", date(2021, 4, 1), security_mark=SecurityMark.SECRET
    )  # shares the sequence
    other_ward = issue(wards["w2"], "KH", date(2021, 1, 5))
    assert [d.number_text for d in (a, b, report, secret, other_ward)] == [
        "01-KH/ĐU",
        "02-KH/ĐU",
        "01-BC/ĐU",
        "03-KH/ĐU",
        "01-KH/ĐU",
    ]
    assert (a.number, a.type_code, a.issuer_code, a.type_name, a.direction) == (
        1,
        "KH",
        "ĐU",
        "Kế hoạch",
        "di",
    )
    assert a.issued_number.text == "01-KH/ĐU" and a.issued_number.term.label == "2020–2025"
    assert IssuedNumber.objects.filter(issuer=w1).count() == 4
    term_open(org=w1, label="2025–2030", starts_on=date(2025, 7, 1), actor=ACTOR)
    assert issue(w1, "KH", date(2025, 8, 1)).number_text == "01-KH/ĐU"
    assert issue(w1, "BC", date(2025, 8, 2)).number_text == "01-BC/ĐU"
    rule = issue(w1, "QĐ", date(2025, 8, 3), type_name="quy định")
    assert (
        rule.citation().format()
        == "Quy định số 01-QĐ/ĐU, ngày 3/8/2025 của Ban Thường vụ Đảng ủy phường 1"
    )


def test_issue_refusals_write_nothing(wards):
    w1 = wards["w1"]
    with pytest.raises(InvalidInput, match="Ký hiệu loại văn bản «XX»"):
        issue(w1, "XX", date(2021, 1, 5))
    with pytest.raises(InvalidInput, match="«Nghị quyết» không khớp ký hiệu «KH»"):
        issue(w1, "KH", date(2021, 1, 5), type_name="Nghị quyết")
    with pytest.raises(InvalidInput, match="trích yếu"):
        issue(w1, "KH", date(2021, 1, 5), title="  ")
    with pytest.raises(InvalidInput, match="thư mục var/"):
        issue(w1, "KH", date(2021, 1, 5), file_path="../../etc/passwd")
    with pytest.raises(NotFound, match="Chưa khai báo nhiệm kỳ"):
        issue(wards["city"], "KH", date(2021, 1, 5), body=BTV_TU)
    assert Document.objects.count() == 0 and IssuedNumber.objects.count() == 0
    ok = issue(w1, "KH", date(2021, 1, 5), file_path="van_ban/2021/01-KH-DU.pdf")
    assert ok.number_text == "01-KH/ĐU" and ok.file_path == "van_ban/2021/01-KH-DU.pdf"


# --- received documents ----------------------------------------------------------------------


def test_received_numbers_are_parsed_as_written(wards):
    w1 = wards["w1"]
    plan = receive(
        w1, "154-KH/TU", date(2022, 6, 29), date(2022, 7, 2), BTV_TU, title="thực hiện Kết luận 34"
    )
    assert (plan.direction, plan.number, plan.type_code, plan.issuer_code, plan.number_text) == (
        Direction.RECEIVED,
        154,
        "KH",
        "TU",
        "154-KH/TU",
    )
    assert plan.received_on == date(2022, 7, 2) and plan.org == w1
    assert [(r.org, r.received_on) for r in plan.receipts.all()] == [(w1, date(2022, 7, 2))]
    unpadded = receive(w1, "2-KH/ĐU", date(2022, 3, 1), date(2022, 3, 2), "Đảng ủy phường 2")
    assert unpadded.number_text == "2-KH/ĐU" and unpadded.number == 2
    typed = receive(
        w1, " 05-HD/BTGQU ", date(2022, 3, 1), date(2022, 3, 2), "Ban Tuyên giáo Quận ủy"
    )
    assert (typed.number_text, typed.type_name, typed.issuer_code) == (
        "05-HD/BTGQU",
        "Hướng dẫn",
        "BTGQU",
    )
    u00d0 = receive(w1, "03-KH/\u00d0U", date(2022, 3, 1), date(2022, 3, 2), "Đảng ủy phường 2")
    assert u00d0.number_text == "03-KH/ĐU" and u00d0.issuer_code == "ĐU"


@pytest.mark.parametrize(
    "text",
    ["154/KH-TU", "KH-154/TU", "154-XY/TU", "0154-KH/TU", "154-KH/tu", "154-KH", "", "0-KH/TU"],
)
def test_malformed_received_numbers_are_refused(wards, text):
    with pytest.raises(CitationError) as refused:
        receive(wards["w1"], text, date(2022, 6, 29), date(2022, 7, 2), BTV_TU)
    assert isinstance(refused.value, InvalidInput) and refused.value.field == "number"
    assert Document.objects.count() == 0


def test_received_before_issued_is_refused(wards):
    with pytest.raises(InvalidInput, match="Ngày đến 28/06/2022 trước ngày ban hành 29/06/2022"):
        receive(wards["w1"], "154-KH/TU", date(2022, 6, 29), date(2022, 6, 28), BTV_TU)


def test_duplicates_are_refused_and_other_receivers_share_the_document(wards):
    w1, w2 = wards["w1"], wards["w2"]
    plan = receive(w1, "154-KH/TU", date(2022, 6, 29), date(2022, 7, 2), BTV_TU)
    with pytest.raises(DuplicateDocument) as dup:
        receive(w1, "154-KH/TU", date(2022, 6, 29), date(2022, 7, 9), "Ban  Thường vụ Thành uỷ")
    assert dup.value.message == (
        "«Kế hoạch số 154-KH/TU, ngày 29/6/2022 của Ban Thường vụ Thành ủy» đã có trong sổ văn bản "
        "đến của «Đảng bộ phường 1» (vào sổ ngày 02/07/2022)."
    )
    again = receive(w2, "154-KH/TU", date(2022, 6, 29), date(2022, 7, 4), BTV_TU)
    assert again.pk == plan.pk
    assert sorted((r.org.pk, r.received_on) for r in plan.receipts.all()) == [
        (w1.pk, date(2022, 7, 2)),
        (w2.pk, date(2022, 7, 4)),
    ]
    # same number and date from another body is another document
    other = receive(w1, "154-KH/TU", date(2022, 6, 29), date(2022, 7, 2), "Ban Thường vụ Tỉnh ủy")
    assert other.pk != plan.pk and Document.objects.count() == 2


def test_a_document_issued_in_the_tree_is_received_by_its_wards(wards):
    city = wards["city"]
    term_open(org=city, label="2020–2025", starts_on=date(2020, 10, 1), actor=ACTOR)
    plan = issue(city, "KH", date(2022, 6, 29), body=BTV_TU)
    assert plan.number_text == "01-KH/TU"
    got = receive(wards["w1"], "01-KH/TU", date(2022, 6, 29), date(2022, 7, 1), BTV_TU)
    assert got.pk == plan.pk and got.direction == Direction.ISSUED
    with pytest.raises(DuplicateDocument, match="do chính «Đảng bộ thành phố Thử» ban hành"):
        receive(city, "01-KH/TU", date(2022, 6, 29), date(2022, 7, 1), BTV_TU)


# --- links -----------------------------------------------------------------------------------


def test_links_refuse_self_duplicates_wrong_order_and_cycles(wards):
    w1 = wards["w1"]
    on = date(2022, 3, 1)
    x = receive(w1, "01-KH/QU", on, on, BTV_QU)
    y = receive(w1, "02-KH/QU", on, on, BTV_QU)
    z = receive(w1, "03-KH/QU", on, on, BTV_QU)
    later = issue(w1, "KH", date(2022, 3, 10))
    with pytest.raises(LinkRefused, match="với chính nó"):
        document_link(from_doc=x, to_doc=x, relation=IMPL, actor=ACTOR)
    document_link(from_doc=x, to_doc=y, relation=IMPL, actor=ACTOR)
    with pytest.raises(LinkRefused, match="Đã có quan hệ «thực hiện, triển khai»"):
        document_link(from_doc=x, to_doc=y, relation=IMPL, actor=ACTOR)
    with pytest.raises(LinkRefused, match="tạo thành vòng"):
        document_link(from_doc=y, to_doc=x, relation=IMPL, actor=ACTOR)
    document_link(from_doc=y, to_doc=z, relation=Relation.REPLACES, actor=ACTOR)
    with pytest.raises(LinkRefused) as cycle:  # z → x → y → z, through implements and replaces
        document_link(from_doc=z, to_doc=x, relation=IMPL, actor=ACTOR)
    assert cycle.value.message == (
        "Không thể ghi «Kế hoạch số 03-KH/QU» thực hiện «Kế hoạch số 01-KH/QU»: «Kế hoạch số "
        "01-KH/QU» đã (trực tiếp hoặc qua văn bản khác) thực hiện hoặc thay thế «Kế hoạch số "
        "03-KH/QU», liên kết sẽ tạo thành vòng."
    )
    with pytest.raises(LinkRefused, match="ban hành ngày 01/03/2022, trước «Kế hoạch số 01-KH/ĐU»"):
        document_link(from_doc=x, to_doc=later, relation=IMPL, actor=ACTOR)
    with pytest.raises(InvalidInput, match="Quan hệ «la»"):
        document_link(from_doc=later, to_doc=x, relation="la", actor=ACTOR)
    # reports_on and cites may go either way
    document_link(from_doc=z, to_doc=x, relation=Relation.CITES, actor=ACTOR)
    document_link(from_doc=x, to_doc=z, relation=Relation.CITES, actor=ACTOR)
    document_link(from_doc=later, to_doc=x, relation=Relation.REPORTS_ON, actor=ACTOR)
    assert DocumentLink.objects.count() == 5


# --- the implementation chain ----------------------------------------------------------------


@pytest.fixture
def chain(wards):
    """Conclusion 34-KL/TW (18/4/2022) → Plan 154-KH/TU (29/6/2022) → Plan 98-KH/QU (25/7/2022)
    → each ward's plan 01-KH/ĐU (10/8/2022); ward 1 received the three, ward 2 only 98-KH/QU."""
    w1, w2 = wards["w1"], wards["w2"]
    kl = receive(
        w1,
        "34-KL/TW",
        date(2022, 4, 18),
        date(2022, 5, 3),
        BCT,
        title="về tiếp tục thực hiện Nghị quyết Trung ương 4",
    )
    kh_tu = receive(
        w1,
        "154-KH/TU",
        date(2022, 6, 29),
        date(2022, 7, 5),
        BTV_TU,
        title="thực hiện Kết luận số 34-KL/TW",
    )
    kh_qu = receive(
        w1,
        "98-KH/QU",
        date(2022, 7, 25),
        date(2022, 7, 28),
        BTV_QU,
        title="thực hiện Kế hoạch số 154-KH/TU",
    )
    assert receive(w2, "98-KH/QU", date(2022, 7, 25), date(2022, 7, 29), BTV_QU).pk == kh_qu.pk
    p1 = issue(w1, "KH", date(2022, 8, 10), title="thực hiện Kế hoạch số 98-KH/QU")
    p2 = issue(w2, "KH", date(2022, 8, 10), title="thực hiện Kế hoạch số 98-KH/QU")
    for a, b in ((kh_tu, kl), (kh_qu, kh_tu), (p1, kh_qu), (p2, kh_qu)):
        document_link(from_doc=a, to_doc=b, relation=IMPL, actor=ACTOR)
    return {"kl": kl, "kh_tu": kh_tu, "kh_qu": kh_qu, "p1": p1, "p2": p2}


def _read(doc):
    return [(e.document.pk, e.depth) for e in implementation_chain(doc)]


def test_implementation_chain_from_any_node_in_one_query(chain, django_assert_num_queries):
    kl, kh_tu, kh_qu, p1, p2 = (chain[k].pk for k in ("kl", "kh_tu", "kh_qu", "p1", "p2"))
    with django_assert_num_queries(1):
        entries = implementation_chain(chain["kh_qu"])
        read = [
            (e.document.number_text, e.document.issuer_body, e.depth, e.direction) for e in entries
        ]
    assert read == [
        ("34-KL/TW", BCT, -2, "up"),
        ("154-KH/TU", BTV_TU, -1, "up"),
        ("98-KH/QU", BTV_QU, 0, "self"),
        ("01-KH/ĐU", "Ban Thường vụ Đảng ủy phường 1", 1, "down"),
        ("01-KH/ĐU", "Ban Thường vụ Đảng ủy phường 2", 1, "down"),
    ]
    with django_assert_num_queries(1):
        assert _read(chain["kl"]) == [(kl, 0), (kh_tu, 1), (kh_qu, 2), (p1, 3), (p2, 3)]
    with django_assert_num_queries(1):
        assert _read(chain["p1"]) == [(kl, -3), (kh_tu, -2), (kh_qu, -1), (p1, 0)]
    assert _read(chain["kh_tu"]) == [(kl, -1), (kh_tu, 0), (kh_qu, 1), (p1, 2), (p2, 2)]
    # another relation does not extend the chain; a shortcut gives the shorter depth
    report = issue(chain["p1"].org, "BC", date(2022, 12, 1), title="Báo cáo kết quả thực hiện")
    document_link(from_doc=report, to_doc=chain["p1"], relation=Relation.REPORTS_ON, actor=ACTOR)
    document_link(from_doc=chain["kh_qu"], to_doc=chain["kl"], relation=IMPL, actor=ACTOR)
    assert _read(chain["p1"]) == [(kl, -2), (kh_tu, -2), (kh_qu, -1), (p1, 0)]
    lonely = issue(chain["p1"].org, "TB", date(2022, 12, 2), title="Thông báo")
    assert _read(lonely) == [(lonely.pk, 0)]


# --- citations in running text ---------------------------------------------------------------


def test_citations_in_the_text_become_links(chain):
    p1 = chain["p1"]
    cited_98 = "Kế hoạch số 98-KH/QU, ngày 25/7/2022 của Ban Thường vụ Quận ủy"
    cited_34 = "Kết luận số 34-KL/TW ngày 18/4/2022 của Bộ Chính trị"
    cited_05 = "Chỉ thị số 05-CT/TW, ngày 15/5/2016 của Bộ Chính trị"
    document_update(
        doc=p1,
        actor=ACTOR,
        title="Kế hoạch thực hiện Kế hoạch số 98-KH/QU, ngày 25/7/2022",
        body_text=(
            f"Thực hiện {cited_98} về triển khai {cited_34}; tiếp tục thực hiện "
            f"{cited_05} về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong "
            "cách Hồ Chí Minh."
        ),
    )
    found = document_extract_citations(doc=p1, actor=ACTOR)
    assert [
        (c.field, c.citation.number.format(), c.document.pk if c.document else None) for c in found
    ] == [
        ("title", "98-KH/QU", chain["kh_qu"].pk),
        ("body_text", "98-KH/QU", chain["kh_qu"].pk),
        ("body_text", "34-KL/TW", chain["kl"].pk),
        ("body_text", "05-CT/TW", None),
    ]
    spans = [(c.start, c.end) for c in found[1:]]
    text = p1.body_text
    assert spans == [
        (text.index(w), text.index(w) + len(w)) for w in (cited_98, cited_34, cited_05)
    ]
    assert found[0].start == p1.title.index("Kế hoạch số 98") and found[0].end == len(p1.title)
    assert [c.resolved for c in found] == [True, True, True, False]

    def cited():
        return set(
            DocumentLink.objects.filter(from_doc=p1, relation=Relation.CITES).values_list(
                "to_doc", flat=True
            )
        )

    assert cited() == {chain["kh_qu"].pk, chain["kl"].pk}
    document_extract_citations(doc=p1, actor=ACTOR)  # again: nothing new
    assert DocumentLink.objects.filter(from_doc=p1, relation=Relation.CITES).count() == 2
    # the stub becomes resolvable once registered; a removed citation drops its link
    ct = receive(
        p1.org, "05-CT/TW", date(2016, 5, 15), date(2018, 2, 1), BCT, title="về đẩy mạnh học tập"
    )
    document_update(doc=p1, body_text=f"Thực hiện {cited_05}.", actor=ACTOR)
    found = document_extract_citations(doc=p1, actor=ACTOR)
    assert [c.document.pk for c in found] == [chain["kh_qu"].pk, ct.pk]
    assert cited() == {chain["kh_qu"].pk, ct.pk}
    assert DocumentLink.objects.filter(from_doc=p1, relation=IMPL).count() == 1  # untouched


def test_a_citation_shared_by_two_issuers_needs_the_body(wards):
    on = date(2022, 8, 10)
    p1 = issue(wards["w1"], "CTr", on, body="Ban Thường vụ Đảng ủy phường Phúc Xá")
    p2 = issue(wards["w2"], "CTr", on, body="Ban Thường vụ Đảng ủy phường Trúc Bạch")
    assert p1.number_text == p2.number_text == "01-CTr/ĐU"
    note = issue(wards["w1"], "TB", date(2022, 9, 1), title="Thông báo")
    document_update(
        doc=note,
        actor=ACTOR,
        body_text=(
            "Theo Chương trình số 01-CTr/ĐU, ngày 10/8/2022 và Chương trình số 01-CTr/ĐU, ngày "
            "10/8/2022 của Ban Thường vụ Đảng ủy phường Trúc Bạch."
        ),
    )
    found = document_extract_citations(doc=note, actor=ACTOR)
    assert [c.document.pk if c.document else None for c in found] == [None, p2.pk]


# --- secret marks and the report's list ------------------------------------------------------


def test_secret_documents_hidden_unless_cleared(wards):
    w1 = wards["w1"]
    open_doc = receive(w1, "154-KH/TU", date(2022, 6, 29), date(2022, 7, 2), BTV_TU)
    secret = receive(
        w1,
        "12-CV/TU",
        date(2022, 7, 1),
        date(2022, 7, 2),
        BTV_TU,
        security_mark=SecurityMark.SECRET,
    )
    top = issue(w1, "BC", date(2022, 7, 3), security_mark=SecurityMark.TOP_SECRET)
    everything = Document.objects.all()
    assert [d.pk for d in visible_documents(everything, cleared=False)] == [open_doc.pk]
    shown = {d.pk: d.is_secret for d in visible_documents(everything, cleared=True)}
    assert shown == {open_doc.pk: False, secret.pk: True, top.pk: True}
    with pytest.raises(InvalidInput, match="Độ mật «mat_lam»"):
        issue(w1, "BC", date(2022, 7, 3), security_mark="mat_lam")


def test_documents_for_report(chain):
    w1 = chain["p1"].org
    issue(w1, "TB", date(2022, 9, 1), title="Thông báo không thực hiện văn bản nào")
    receive(
        w1,
        "20-CV/QU",
        date(2022, 9, 5),
        date(2022, 9, 6),
        BTV_QU,
        title="văn bản mật",
        security_mark=SecurityMark.SECRET,
    )
    rows = documents_for_report(w1, date(2022, 7, 1), date(2022, 12, 31))
    assert rows == [
        {
            "citation": "Kế hoạch số 154-KH/TU, ngày 29/6/2022 của Ban Thường vụ Thành ủy",
            "title": "thực hiện Kết luận số 34-KL/TW",
        },
        {
            "citation": "Kế hoạch số 98-KH/QU, ngày 25/7/2022 của Ban Thường vụ Quận ủy",
            "title": "thực hiện Kế hoạch số 154-KH/TU",
        },
        {
            "citation": "Kế hoạch số 01-KH/ĐU, ngày 10/8/2022 của Ban Thường vụ Đảng ủy phường 1",
            "title": "thực hiện Kế hoạch số 98-KH/QU",
        },
    ]
    # the conclusion was received in the first half
    assert [
        r["citation"] for r in documents_for_report(w1, date(2022, 1, 1), date(2022, 6, 30))
    ] == ["Kết luận số 34-KL/TW, ngày 18/4/2022 của Bộ Chính trị"]
    # ward 2 received only 98-KH/QU and issued its plan
    assert [
        r["citation"][:20]
        for r in documents_for_report(chain["p2"].org, date(2022, 7, 1), date(2022, 12, 31))
    ] == ["Kế hoạch số 98-KH/QU", "Kế hoạch số 01-KH/ĐU"]


# --- documents of a period -------------------------------------------------------------------


def test_documents_in_period_follow_the_tree_as_it_stood(wards, django_assert_num_queries):
    city, w1, w2 = wards["city"], wards["w1"], wards["w2"]
    term_open(org=city, label="2020–2025", starts_on=date(2020, 10, 1), actor=ACTOR)
    kl = receive(city, "34-KL/TW", date(2022, 4, 18), date(2022, 4, 25), BCT)
    city_plan = issue(city, "KH", date(2022, 6, 29), body=BTV_TU)
    document_link(from_doc=city_plan, to_doc=kl, relation=IMPL, actor=ACTOR)
    receive(w1, "01-KH/TU", date(2022, 6, 29), date(2022, 7, 2), BTV_TU)
    w1_plan = issue(w1, "KH", date(2022, 7, 20))
    document_link(from_doc=w1_plan, to_doc=city_plan, relation=IMPL, actor=ACTOR)
    w2_early = issue(w2, "TB", date(2022, 5, 2), title="Thông báo trước khi chuyển")
    district = org_found(
        kind=OrgKind.objects.get(code="huyen"),
        name="Đảng bộ quận Thử",
        code="Q1",
        doc_code="QU",
        parent=city,
        on=date(2018, 1, 1),
        actor=ACTOR,
    )
    org_move(org=w2, parent=district, on=date(2022, 7, 1), actor=ACTOR)
    w2_late = issue(w2, "TB", date(2022, 12, 31), title="Thông báo sau khi chuyển")
    receive(w2, "07-KH/TU", date(2023, 1, 2), date(2023, 1, 3), BTV_TU)  # after the period

    def pks(qs):
        return [d.pk for d in qs]

    year = (date(2022, 1, 1), date(2022, 12, 31))
    with django_assert_num_queries(1):
        everything = pks(documents_in_period(city, *year))
    assert everything == [kl.pk, w2_early.pk, city_plan.pk, w1_plan.pk, w2_late.pk]
    assert pks(documents_in_period(city, *year, directions=[Direction.RECEIVED])) == [
        kl.pk,
        city_plan.pk,
    ]
    assert pks(documents_in_period(city, *year, directions=[Direction.ISSUED])) == [
        w2_early.pk,
        city_plan.pk,
        w1_plan.pk,
        w2_late.pk,
    ]
    assert pks(documents_in_period(city, *year, relation=IMPL)) == [kl.pk, city_plan.pk, w1_plan.pk]
    assert pks(documents_in_period(city, *year, subtree=False)) == [kl.pk, city_plan.pk]
    assert pks(documents_in_period(w1, *year)) == [city_plan.pk, w1_plan.pk]
    assert pks(documents_in_period(district, *year)) == [w2_late.pk]  # ward 2 joined on 1/7
    assert pks(documents_in_period(city, date(2022, 7, 2), date(2022, 7, 20))) == [
        city_plan.pk,
        w1_plan.pk,
    ]
    assert pks(documents_in_period(city, *year, directions=[])) == []
