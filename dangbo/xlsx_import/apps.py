from django.apps import AppConfig


class XlsxImportConfig(AppConfig):
    name = "dangbo.xlsx_import"
    label = "xlsx_import"
    verbose_name = "Nhập danh sách từ Excel"
