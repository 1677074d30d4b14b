"""A small composed review report, written by hand, for the renderer tests (no database)."""

from __future__ import annotations

from dangbo.reports.document import (
    Chart,
    Document,
    Header,
    Heading,
    Paragraph,
    Signature,
    Table,
)

SUPERIOR = "Đảng bộ thành phố Sông Hồng"
ISSUING = "Đảng ủy phường Hàng Bột"
NUMBER = "Số 154-BC/ĐU"
PLACE_DATE = "Sông Hồng, ngày 29 tháng 6 năm 2023"
SUMMARY = (
    "sơ kết công tác xây dựng Đảng 6 tháng đầu năm 2023,",
    "phương hướng, nhiệm vụ 6 tháng cuối năm 2023",
)

HEADINGS = (
    Heading("I. KẾT QUẢ THỰC HIỆN", 1),
    Heading("1. Công tác tổ chức, cán bộ, đảng viên", 2),
    Heading("a) Phát triển đảng viên", 3),
    Heading("II. HẠN CHẾ, NGUYÊN NHÂN", 1),
    Heading("III. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM", 1),
)

PARAGRAPHS = (
    Paragraph(
        "Toàn Đảng bộ có 17 chi bộ trực thuộc với 314 đảng viên, trong đó 311 đảng viên chính "
        "thức, 03 đảng viên dự bị; đảng viên nữ chiếm 43,0%, đảng viên là người dân tộc thiểu "
        "số 01 đồng chí."
    ),
    Paragraph(
        "Trong 6 tháng đầu năm, Ban Thường vụ Đảng ủy đã chỉ đạo các chi bộ rà soát, giới thiệu "
        "quần chúng ưu tú; kết nạp 05 đảng viên mới, đạt 62,5% chỉ tiêu năm (05/08); chuyển "
        "đảng chính thức cho 04 đồng chí đúng thời hạn."
    ),
    Paragraph(
        "",
        runs=(
            ("Kết quả nổi bật: ", True, False),
            ("17/17 chi bộ tổ chức sinh hoạt chuyên đề; ", False, False),
            ("tỷ lệ đảng viên dự sinh hoạt đạt 97,8%.", False, True),
        ),
    ),
    Paragraph(
        "Công tác quản lý hồ sơ đảng viên ở một số chi bộ chưa kịp thời; việc cập nhật biến động "
        "đảng viên còn chậm, ảnh hưởng đến chất lượng báo cáo thống kê."
    ),
    Paragraph(
        "Tiếp tục nâng cao chất lượng sinh hoạt chi bộ; phấn đấu kết nạp thêm ít nhất 03 đảng "
        "viên để hoàn thành chỉ tiêu năm 2023; thực hiện tốt công tác chuyển sinh hoạt đảng."
    ),
)

TABLE = Table(
    caption="Bảng 1. Số lượng đảng viên theo chi bộ (đến ngày 29/6/2023)",
    columns=("TT", "Chi bộ", "Đảng viên", "Chính thức", "Dự bị"),
    rows=(
        ("1", "Chi bộ Tổ dân phố số 1", "120", "119", "01"),
        ("2", "Chi bộ Tổ dân phố số 2", "104", "103", "01"),
        ("3", "Chi bộ Trường Tiểu học Hàng Bột", "90", "89", "01"),
        ("", "Tổng cộng", "314", "311", "03"),
    ),
    align=("center", "left", "right", "right", "right"),
    total_row=True,
)

LINE_CHART = Chart(
    kind="line",
    title="Biểu đồ 1. Số đảng viên cuối mỗi quý",
    labels=("Quý III/2022", "Quý IV/2022", "Quý I/2023", "Quý II/2023"),
    series=(("Đảng viên", (306.0, 309.0, 311.0, 314.0)),),
    y_label="Đảng viên",
    note="Nguồn: Sổ đảng viên của Đảng ủy phường.",
)

BAR_CHART = Chart(
    kind="bar",
    title="Biểu đồ 2. Kết nạp đảng viên so với chỉ tiêu",
    labels=("Chi bộ TDP số 1", "Chi bộ TDP số 2", "Chi bộ Trường Tiểu học"),
    series=(("Chỉ tiêu năm 2023", (3.0, 3.0, 2.0)), ("Đã kết nạp", (2.0, 2.0, 1.0))),
    y_label="Đảng viên",
)

SIGNATURE = Signature(
    form="T/M Ban Thường vụ",
    position="Bí thư",
    name="Phạm Duy Phong",
    recipients=(
        "- Ban Thường vụ Thành ủy,",
        "- Ban Tổ chức Thành ủy,",
        "- Các chi bộ trực thuộc,",
        "- Lưu Văn phòng Đảng ủy.",
    ),
)


def sample_document(*, watermark: str = "DỰ THẢO") -> Document:
    header = Header(
        superior_body=SUPERIOR,
        issuing_body=ISSUING,
        number=NUMBER,
        place_date=PLACE_DATE,
        doc_type="BÁO CÁO",
        summary=SUMMARY,
    )
    h = HEADINGS
    p = PARAGRAPHS
    body = (
        h[0],
        h[1],
        p[0],
        TABLE,
        LINE_CHART,
        h[2],
        p[1],
        p[2],
        BAR_CHART,
        h[3],
        p[3],
        h[4],
        p[4],
    )
    return Document(
        header=header,
        body=body,
        signature=SIGNATURE,
        watermark=watermark,
        metadata={
            "title": "Báo cáo sơ kết 6 tháng đầu năm 2023",
            "subject": "Công tác xây dựng Đảng 6 tháng đầu năm 2023",
        },
    )


def paragraph_text(p: Paragraph) -> str:
    """The text a reader sees: the runs joined, or the plain text."""
    return "".join(r[0] for r in p.runs) if p.runs else p.text
