"""Stable codes of the errors and rules of this app; interfaces map them to messages."""

from __future__ import annotations

from enum import StrEnum


class CongressErrorCode(StrEnum):
    """Codes of the domain errors this app raises."""

    CHUA_BAU_XONG = "chua_bau_xong"
    CHUA_CHUAN_Y = "chua_chuan_y"
    DA_BAU_DU = "da_bau_du"
    DA_CHI_DINH = "da_chi_dinh"
    DA_CHUAN_Y = "da_chuan_y"
    DA_CO_DAI_HOI = "da_co_dai_hoi"
    DA_DUNG_BAU = "da_dung_bau"
    DA_KET_THUC = "da_ket_thuc"
    DAI_HOI_CHI_BO = "dai_hoi_chi_bo"
    KHONG_THE_DUNG = "khong_the_dung"
    NGAY_BAU = "ngay_bau"
    NGAY_BE_MAC = "ngay_be_mac"
    NGAY_CHUAN_Y = "ngay_chuan_y"
    NGAY_CHUC_VU = "ngay_chuc_vu"
    TRUNG_CHUC_VU = "trung_chuc_vu"


class CongressRule(StrEnum):
    """Codes of the rules this app checks (stored with waivers; never renamed)."""

    BAU_QUA_SO_LUONG = "bau_qua_so_luong"
    BAU_TIEP_CON_LAI = "bau_tiep_con_lai"
    BI_THU_CHI_BO_3_LAN = "bi_thu_chi_bo_3_lan"
    CHI_DINH_BI_THU = "chi_dinh_bi_thu"
    CO_CAU_CHI_BO = "co_cau_chi_bo"
    DANH_SACH_NHIEU_HON = "danh_sach_nhieu_hon"
    DE_CU_TREN_30 = "de_cu_tren_30"
    LAN_DAU_DU_DANH_SACH = "lan_dau_du_danh_sach"
    LOAI_TRU_CAP_UY_VANG = "loai_tru_cap_uy_vang"
    LOAI_TRU_DAI_HOI_DAI_BIEU = "loai_tru_dai_hoi_dai_bieu"
    LOAI_TRU_DAI_HOI_DANG_VIEN = "loai_tru_dai_hoi_dang_vien"
    PHIEU_PHAT_RA = "phieu_phat_ra"
    PHIEU_THU_VAO = "phieu_thu_vao"
    PHIEU_UNG_CU_VIEN = "phieu_ung_cu_vien"
    SO_CO_MAT = "so_co_mat"
    SO_DU_TOI_DA = "so_du_toi_da"
    SO_LIEU_AM = "so_lieu_am"
    SO_LUONG_CAN_BAU = "so_luong_can_bau"
    SO_TRIEU_TAP = "so_trieu_tap"
    TRUNG_UNG_CU_VIEN = "trung_ung_cu_vien"
