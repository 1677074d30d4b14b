"""dangbo — hồ sơ và báo cáo của văn phòng cấp ủy đảng."""
