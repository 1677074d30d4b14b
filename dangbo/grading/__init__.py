"""Annual quality evaluation and grading (đánh giá, xếp loại chất lượng) of base
organizations and members (DOMAIN §7)."""
