"""The catalog spreadsheet's columns, as admins see them (procedures.resources)."""

IMPORT_HEADERS = [
    "Mã thủ tục",
    "Tên thủ tục",
    "Mức độ",
    "Cấp thực hiện",
    "Lĩnh vực",
    "Cơ quan thực hiện",
    "Thời hạn giải quyết",
    "Đơn vị thời hạn",
    "Phí (đồng)",
    "Lệ phí (đồng)",
    "Trình tự thực hiện",
    "Thành phần hồ sơ",
    "Đối tượng thực hiện",
    "Kết quả thực hiện",
    "Yêu cầu, điều kiện",
    "Căn cứ pháp lý",
]
