"""`dangbo dues …` — party dues on the command line.

* ``rate MEMBER --month 2026-02`` — the member's dues for a month, with its basis and regulation;
* ``fact MEMBER --from DATE --category C [--base N] [--region R]`` — the member's dues facts;
* ``relief MEMBER --reason R --from-month M [--months N] [--percent P] --decision NUMBER
  --decision-date DATE`` — an exemption or a reduction decision;
* ``compute ORG --from M --to M`` — compute the charges of the organization's members;
* ``pay MEMBER --months M[,M…] --on DATE [--channel C] [--amount N] [--receipt R]``;
* ``reverse PAYMENT`` — correct a wrong payment;
* ``book CELL --year Y [--month M] --out FILE.xlsx`` — the cell's collection book;
* ``alerts ORG --year Y`` — members with 3 months unpaid, payments below the due amount;
* ``finance-report ORG --year Y --out FILE.docx|.pdf [--signer NAME]`` — the yearly party
  finance report (báo cáo công tác tài chính Đảng).

MEMBER is the member's number in the system, card number or citizen ID.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from dangbo import vn_format as vf
from dangbo.core.dates import parse_date, today
from dangbo.core.errors import InvalidInput, NotFound
from dangbo.core.management.base import DangboCommand, writable_path
from dangbo.dues import services
from dangbo.dues.book import collection_book
from dangbo.dues.compute import charges_for, months_of
from dangbo.dues.models import Channel, DuesPayment
from dangbo.dues.rules import CATEGORY_LABELS, EXEMPT_LABELS, Category, month_label
from dangbo.dues.selectors import underpaid, unpaid_three_months
from dangbo.dues.xlsx import book_xlsx
from dangbo.membership.models import Member
from dangbo.organizations.selectors import org_resolve
from dangbo.reports.compose_finance import compose_finance
from dangbo.reports.finance import finance_report
from dangbo.reports.output import render_bytes

ACTOR = "dong_lenh"


def parse_month(text: str, *, field: str) -> date:
    """ "2026-03" or "3/2026" → 1/3/2026."""
    m = re.fullmatch(r"(\d{4})-(\d{1,2})|(\d{1,2})/(\d{4})", text.strip(), flags=re.ASCII)
    if m:
        year, month = (m[1], m[2]) if m[1] else (m[4], m[3])
        if 1 <= int(month) <= 12 and 1900 <= int(year) <= 2199:
            return date(int(year), int(month), 1)
    raise InvalidInput(f"Tham số {field}: «{text}» không phải tháng dạng 2026-03.", field=field)


def member_resolve(ref: str) -> Member:
    """A member by citizen ID (12 digits), card number or number in the system."""
    ref = ref.strip()
    qs = Member.objects.select_related("person")
    found = None
    if re.fullmatch(r"\d{12}", ref):
        found = qs.filter(person__citizen_id=ref).first()
    if found is None:
        found = qs.filter(card_number=ref).first() if ref else None
    if found is None and ref.isdigit():
        found = qs.filter(pk=int(ref)).first()
    if found is None:
        raise NotFound(f"Không tìm thấy đảng viên «{ref}».", field="member")
    return found


class Command(DangboCommand):
    help = "Đảng phí: mức đóng, căn cứ, miễn giảm, ghi thu, sổ thu, cảnh báo."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("rate", help="mức đảng phí của đảng viên trong một tháng")
        p.add_argument("member", metavar="MEMBER")
        p.add_argument("--month", required=True)
        p = sub.add_parser("fact", help="ghi đối tượng, mức lương, vùng của đảng viên từ một ngày")
        p.add_argument("member", metavar="MEMBER")
        p.add_argument("--from", dest="valid_from", required=True)
        p.add_argument("--category", required=True, choices=[c.value for c in Category])
        p.add_argument("--base", type=int, default=0, help="tiền lương, lương hưu (đồng)")
        p.add_argument("--region", default="", choices=["", "I", "II", "III", "IV"])
        p = sub.add_parser("relief", help="quyết định miễn hoặc giảm đảng phí")
        p.add_argument("member", metavar="MEMBER")
        p.add_argument("--reason", required=True, help="giam, " + ", ".join(EXEMPT_LABELS))
        p.add_argument("--from-month", required=True)
        p.add_argument("--months", type=int, help="số tháng (miễn: bỏ trống là đến khi thôi)")
        p.add_argument("--percent", type=int, default=100)
        p.add_argument("--decision", required=True)
        p.add_argument("--decision-date", required=True)
        p = sub.add_parser("compute", help="tính đảng phí các tháng của một tổ chức")
        p.add_argument("org", metavar="ORG")
        p.add_argument("--from", dest="start", required=True)
        p.add_argument("--to", dest="end", required=True)
        p = sub.add_parser("pay", help="ghi khoản nộp (nhiều tháng: nộp trước)")
        p.add_argument("member", metavar="MEMBER")
        p.add_argument("--months", required=True, help="các tháng, cách nhau bởi dấu phẩy")
        p.add_argument("--on", required=True)
        p.add_argument("--channel", default=Channel.CASH.value, choices=Channel.values)
        p.add_argument("--amount", type=int, help="số tiền mỗi tháng (mặc định: mức phải đóng)")
        p.add_argument("--receipt", default="")
        p = sub.add_parser("reverse", help="hủy một khoản nộp ghi sai")
        p.add_argument("payment", type=int, metavar="PAYMENT")
        p.add_argument("--reason", default="")
        p = sub.add_parser("book", help="sổ thu đảng phí của chi bộ (xlsx)")
        p.add_argument("cell", metavar="CELL")
        p.add_argument("--year", type=int, required=True)
        p.add_argument("--month", type=int)
        p.add_argument("--out", required=True)
        p = sub.add_parser("alerts", help="không đóng 3 tháng trong năm; nộp thiếu")
        p.add_argument("org", metavar="ORG")
        p.add_argument("--year", type=int, required=True)
        p = sub.add_parser("finance-report", help="báo cáo công tác tài chính Đảng năm (docx, pdf)")
        p.add_argument("org", metavar="ORG")
        p.add_argument("--year", type=int, required=True)
        p.add_argument("--out", required=True)
        p.add_argument("--signer", default="", help="họ tên người ký")
        for action in ("fact", "relief", "compute", "pay", "reverse"):
            sub.choices[action].add_argument("--actor", default=ACTOR)

    def handle(self, *args: Any, **opts: Any) -> None:
        getattr(self, "_" + opts["action"].replace("-", "_"))(opts)

    def _rate(self, opts: dict) -> None:
        member = member_resolve(opts["member"])
        month = parse_month(opts["month"], field="--month")
        found = [c for c in charges_for([month], member_ids=[member.pk])]
        if not found:
            raise NotFound(f"Đảng viên không sinh hoạt ở chi bộ nào trong {month_label(month)}.")
        c = found[0]
        text = f"{member.person.full_name}, {month_label(month)}: {vf.money(c.amount)}"
        if c.exempt_reason:
            text += f" (miễn: {EXEMPT_LABELS.get(c.exempt_reason, c.exempt_reason)})"  # type: ignore[call-overload]
        elif c.reduction_percent:
            text += f" (giảm {c.reduction_percent}% của {vf.money(c.full_amount)})"
        if c.basis:
            text += f"; căn cứ: {c.basis}"
        self.stdout.write(f"{text}; {c.regulation}.")

    def _fact(self, opts: dict) -> None:
        member = member_resolve(opts["member"])
        fact = services.dues_fact_set(
            member=member,
            valid_from=parse_date(opts["valid_from"], field="--from"),
            category=opts["category"],
            base_amount=opts["base"],
            region=opts["region"],
            actor=opts["actor"],
        )
        self.stdout.write(
            f"Đã ghi: {member.person.full_name} từ ngày {fact.valid_from:%d/%m/%Y} thuộc đối tượng "
            f"«{CATEGORY_LABELS[Category(fact.category)]}»."
        )

    def _relief(self, opts: dict) -> None:
        member = member_resolve(opts["member"])
        relief = services.dues_relief_add(
            member=member,
            reason=opts["reason"],
            from_month=parse_month(opts["from_month"], field="--from-month"),
            months=opts["months"],
            percent=opts["percent"],
            decision_number=opts["decision"],
            decision_on=parse_date(opts["decision_date"], field="--decision-date"),
            actor=opts["actor"],
        )
        self.stdout.write(
            f"Đã ghi quyết định {relief.decision_number} cho {member.person.full_name}."
        )

    def _compute(self, opts: dict) -> None:
        org = org_resolve(opts["org"])
        start = parse_month(opts["start"], field="--from")
        end = parse_month(opts["end"], field="--to")
        count = services.dues_charges_compute(org=org, start=start, end=end, actor=opts["actor"])
        self.stdout.write(f"Đã tính đảng phí {vf.number(count)} tháng-đảng viên.")

    def _pay(self, opts: dict) -> None:
        member = member_resolve(opts["member"])
        months = [parse_month(m, field="--months") for m in opts["months"].split(",") if m.strip()]
        payments = services.dues_pay(
            member=member,
            months=months,
            paid_on=parse_date(opts["on"], field="--on"),
            channel=opts["channel"],
            receipt_number=opts["receipt"],
            amount=opts["amount"],
            actor=opts["actor"],
        )
        for p in payments:
            self.stdout.write(f"Khoản nộp số {p.pk}: {month_label(p.month)}, {vf.money(p.amount)}.")

    def _reverse(self, opts: dict) -> None:
        payment = DuesPayment.objects.filter(pk=opts["payment"]).first()
        if payment is None:
            raise NotFound(f"Không có khoản nộp số {opts['payment']}.", field="payment")
        row = services.dues_payment_reverse(
            payment=payment, reason=opts["reason"], actor=opts["actor"]
        )
        self.stdout.write(f"Đã hủy khoản nộp số {payment.pk} (bút toán hủy số {row.pk}).")

    def _book(self, opts: dict) -> None:
        out = writable_path(opts["out"])
        cell = org_resolve(opts["cell"])
        year = opts["year"]
        if opts["month"] is not None and not 1 <= opts["month"] <= 12:
            raise InvalidInput("Tham số --month phải từ 1 đến 12.", field="--month")
        months = (
            [date(year, opts["month"], 1)]
            if opts["month"]
            else months_of(date(year, 1, 1), date(year, 12, 1))
        )
        book = collection_book(cell, months)
        out.write_bytes(book_xlsx(book))
        self.stdout.write(
            f"Đã ghi {opts['out']}: {len(book.rows)} đảng viên, phải thu {vf.money(book.due)}, "
            f"đã thu {vf.money(book.paid)}."
        )

    def _alerts(self, opts: dict) -> None:
        org = org_resolve(opts["org"])
        year = opts["year"]
        on = min(today(), date(year + 1, 1, 1))
        rows = unpaid_three_months(org, year, as_of=on)
        self.stdout.write(f"Không đóng đảng phí từ 3 tháng trong năm {year}: {len(rows)}")
        for u in rows:
            self.stdout.write(f"  {u.name}: tháng {', '.join(str(m.month) for m in u.months)}")
        short = underpaid(org, date(year, 1, 1), date(year, 12, 31))
        self.stdout.write(f"Nộp thấp hơn mức phải đóng: {len(short)}")
        for s in short:
            self.stdout.write(
                f"  {s.name}, {month_label(s.month)}: {vf.number(s.paid)}/{vf.number(s.due)}"
            )

    def _finance_report(self, opts: dict) -> None:
        out = writable_path(opts["out"])
        if out.suffix.lower() not in (".docx", ".pdf"):
            raise InvalidInput("Tệp báo cáo phải có đuôi .docx hoặc .pdf.", field="--out")
        org = org_resolve(opts["org"])
        data = finance_report(org, opts["year"], signer_name=opts["signer"])
        out.write_bytes(render_bytes(compose_finance(data), out))
        f = data.total
        self.stdout.write(
            f"Đã ghi {opts['out']}: {data.org_name} năm {data.year}, phải thu "
            f"{vf.money(f.dues_due)}, đã thu {vf.money(f.dues_paid)}, nộp lên cấp trên "
            f"{vf.money(data.passed_on)}."
        )
