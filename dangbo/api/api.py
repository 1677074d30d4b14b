"""The REST API: one NinjaAPI, token authentication, refusals as JSON (see docs/api.md)."""

from __future__ import annotations

from ninja import NinjaAPI

from dangbo.api import errors
from dangbo.api.gate import TokenAuth
from dangbo.api.routers import members, orgs, party_work, writes

api = NinjaAPI(
    title="dangbo API",
    version="1",
    description="Hồ sơ và báo cáo của văn phòng cấp ủy: cùng quyền, phạm vi, quy tắc và "
    "nhật ký như ứng dụng web. Xác thực: «Authorization: Bearer <mã truy cập>».",
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url=None,
)
errors.install(api)
api.add_router("", orgs.router)
api.add_router("", members.router)
api.add_router("", party_work.router)
api.add_router("", writes.router)
