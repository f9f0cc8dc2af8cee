"""Demo catalog: tiếp công dân, khiếu nại, tố cáo, cư trú, căn cước, nghĩa vụ quân sự, giải trình."""

from .catalog_base import COMMUNES as XA
from .catalog_base import ID_PRESENTED, P

KN_DOCS = ["Đơn khiếu nại hoặc bản ghi lời khiếu nại@Mẫu Nghị định 124/2020/NĐ-CP",
           "?Tài liệu, chứng cứ do người khiếu nại cung cấp"]  # fmt: skip
TC_DOCS = ["Đơn tố cáo hoặc biên bản ghi nội dung tố cáo", "?Tài liệu, chứng cứ kèm theo"]
CT_DOCS = ["Tờ khai thay đổi thông tin cư trú@Mẫu CT01 Thông tư 66/2023/TT-BCA"]
CT_FORM = [("dia_chi", "Địa chỉ đăng ký cư trú", "text", ""),
           ("quan_he_chu_ho", "Quan hệ với chủ hộ", "text", "")]  # fmt: skip
NVQS_DOCS = ["Phiếu tự khai sức khỏe nghĩa vụ quân sự", ID_PRESENTED]
CAN_CUOC = "Thẻ căn cước"

PROCEDURES = [
    # Tiếp công dân, khiếu nại, tố cáo
    P("2.002175", "Thủ tục tiếp công dân tại cấp tỉnh", "TT-TCD", "TTRA", 1, "Ngay khi tiếp công dân",
      ["?Đơn khiếu nại, tố cáo, kiến nghị, phản ánh (nếu có)", ID_PRESENTED],
      "Văn bản trả lời hoặc hướng dẫn của người tiếp công dân", who="CNTC"),
    P("2.002176", "Thủ tục tiếp công dân tại cấp xã", "TT-TCD", XA, 1, "Ngay khi tiếp công dân",
      ["?Đơn khiếu nại, tố cáo, kiến nghị, phản ánh (nếu có)", ID_PRESENTED],
      "Văn bản trả lời hoặc hướng dẫn của người tiếp công dân", who="CNTC"),
    P("2.002177", "Thủ tục giải quyết khiếu nại lần đầu tại cấp tỉnh", "TT-KN", "TTRA", 2, "30n", KN_DOCS,
      "Quyết định giải quyết khiếu nại lần đầu", who="CNTC"),
    P("2.002178", "Thủ tục giải quyết khiếu nại lần hai tại cấp tỉnh", "TT-KN", "TTRA", 2, "45n",
      KN_DOCS + ["~Quyết định giải quyết khiếu nại lần đầu"], "Quyết định giải quyết khiếu nại lần hai", who="CNTC"),
    P("2.002179", "Thủ tục giải quyết khiếu nại lần đầu tại cấp xã", "TT-KN", XA, 2, "30n", KN_DOCS,
      "Quyết định giải quyết khiếu nại lần đầu", who="CNTC"),
    P("2.002180", "Thủ tục giải quyết tố cáo tại cấp tỉnh", "TT-TC", "TTRA", 1, "30n", TC_DOCS,
      "Kết luận nội dung tố cáo", who="CNTC"),
    P("2.002181", "Thủ tục giải quyết tố cáo tại cấp xã", "TT-TC", XA, 1, "30n", TC_DOCS, "Kết luận nội dung tố cáo",
      who="CNTC"),
    P("2.002182", "Thủ tục xử lý đơn tại cấp tỉnh", "TT-XLD", "TTRA", 1, "10",
      ["Đơn khiếu nại, tố cáo, kiến nghị, phản ánh"], "Văn bản hướng dẫn, chuyển đơn hoặc thụ lý", who="CNTC"),
    P("2.002183", "Thủ tục tiếp nhận yêu cầu giải trình", "TT-XLD", XA, 2, "5",
      ["Văn bản yêu cầu giải trình", "?Thông tin, tài liệu có liên quan@Mẫu Thông tư 02/2014/TT-TTCP"],
      "Thông báo tiếp nhận hoặc từ chối yêu cầu giải trình", who="CNTC"),
    # Cư trú, căn cước (Công an)
    P("1.004194", "Đăng ký thường trú", "CA-CT", "CA", 4, "7", CT_DOCS +
      ["~Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp", "?Văn bản đồng ý cho đăng ký thường trú của chủ hộ, chủ sở "
       "hữu chỗ ở hợp pháp"], "Thông báo kết quả đăng ký thường trú", keywords="hộ khẩu thường trú nhập khẩu",
      form=CT_FORM),
    P("1.004222", "Đăng ký tạm trú", "CA-CT", "CA", 4, "3", CT_DOCS + ["~Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp"],
      "Thông báo kết quả đăng ký tạm trú", fees=(("L", "Lệ phí đăng ký tạm trú", 10000,
                                                 "Miễn lệ phí khi nộp hồ sơ trực tuyến"),),
      form=CT_FORM + [("thoi_han", "Thời hạn tạm trú (tháng)", "number", "")]),
    P("1.004227", "Khai báo tạm vắng", "CA-CT", "CA", 4, "1", ["Đề nghị khai báo tạm vắng@Mẫu CT01"],
      "Phiếu khai báo tạm vắng",
      form=[("noi_den", "Nơi đến", "text", ""), ("tu_ngay", "Tạm vắng từ ngày", "date", "")]),
    P("1.004228", "Xóa đăng ký thường trú", "CA-CT", "CA", 3, "1", CT_DOCS + ["?Giấy tờ chứng minh thuộc trường hợp "
      "xóa đăng ký thường trú"], "Thông báo về việc xóa đăng ký thường trú",
      form=[("ly_do", "Lý do xóa đăng ký thường trú", "text", "")]),
    P("1.004229", "Thông báo lưu trú", "CA-CT", "CA", 3, "Ngay khi tiếp nhận",
      ["Thông tin người lưu trú theo mẫu"], "Xác nhận tiếp nhận thông báo lưu trú", who="CNTC",
      form=[("so_nguoi", "Số người lưu trú", "number", ""), ("tu_ngay", "Lưu trú từ ngày", "date", "")]),
    P("1.012401", "Cấp thẻ căn cước cho công dân từ đủ 14 tuổi trở lên", "CA-CCUOC", "CA", 3, "7",
      ["Tờ khai căn cước@Mẫu CC01 Thông tư 17/2024/TT-BCA"], CAN_CUOC,
      fees=(("L", "Lệ phí cấp thẻ căn cước", 0, "Miễn lệ phí khi cấp lần đầu"),),
      form=[("noi_lam_thu_tuc", "Nơi đề nghị làm thủ tục", "text", "")]),
    P("1.012402", "Cấp đổi thẻ căn cước", "CA-CCUOC", "CA", 4, "7", ["Tờ khai căn cước@Mẫu CC01"], CAN_CUOC,
      fees=(("L", "Lệ phí cấp đổi thẻ căn cước", 50000, "Giảm 50% khi nộp hồ sơ trực tuyến"),),
      form=[("ly_do", "Lý do cấp đổi", "choice", "Thay đổi thông tin\nThẻ bị hư hỏng\nĐủ tuổi phải đổi thẻ")]),
    P("1.012403", "Cấp lại thẻ căn cước", "CA-CCUOC", "CA", 3, "7", ["Tờ khai căn cước@Mẫu CC01"], CAN_CUOC,
      fees=(("L", "Lệ phí cấp lại thẻ căn cước", 70000, ""),)),
    P("1.012404", "Xác nhận số chứng minh nhân dân 9 số, số định danh cá nhân", "CA-CCUOC", "CA", 4, "3",
      ["Tờ khai đề nghị xác nhận@Mẫu CC02"], "Giấy xác nhận số chứng minh nhân dân, số định danh cá nhân",
      form=[("so_cmnd", "Số chứng minh nhân dân 9 số đã được cấp", "text", "")]),
    # Nghĩa vụ quân sự
    P("1.010911", "Đăng ký nghĩa vụ quân sự lần đầu", "QS-NVQS", XA, 2, "1", NVQS_DOCS,
      "Giấy chứng nhận đăng ký nghĩa vụ quân sự", applicants="Công dân nam đủ 17 tuổi trong năm"),
    P("1.010912", "Đăng ký nghĩa vụ quân sự bổ sung", "QS-NVQS", XA, 1, "1", ["~Giấy tờ liên quan đến nội dung "
      "thay đổi"], "Giấy chứng nhận đăng ký nghĩa vụ quân sự được bổ sung"),
    P("1.010913", "Đăng ký tạm vắng nghĩa vụ quân sự", "QS-NVQS", XA, 1, "1",
      ["Giấy chứng nhận đăng ký nghĩa vụ quân sự"], "Xác nhận đăng ký tạm vắng"),
    P("1.010914", "Đăng ký miễn gọi nhập ngũ thời chiến", "QS-NVQS", XA, 1, "1",
      ["~Quyết định bổ nhiệm chức vụ hoặc giấy tờ chứng minh thuộc diện miễn"], "Xác nhận đăng ký miễn gọi nhập ngũ"),
    P("1.010915", "Giải quyết chế độ trợ cấp một lần đối với quân nhân, công nhân viên quốc phòng tham gia kháng "
      "chiến chống Mỹ", "QS-NVQS", "BCHQS", 1, "30n",
      ["Bản khai cá nhân@Mẫu Thông tư 136/2013/TT-BQP", "~Giấy tờ chứng minh thời gian tham gia kháng chiến"],
      "Quyết định hưởng trợ cấp một lần"),
]  # fmt: skip
