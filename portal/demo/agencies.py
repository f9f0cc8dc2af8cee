"""Agencies of the demo province, Tỉnh Thanh Hóa (level-1 unit code ``H56``).

Codes follow the QCVN layout ``V1V2V3.Z1Z2.Y1Y2.MX1X2``: the provincial People's
Committee is ``000.00.00.H56``, its departments ``000.00.NN.H56`` and, since the
two-tier reform of 1 July 2025, the communes and wards ``000.NN.40.H56``. The
district tier and the departments merged on 1 March 2025 are kept for history,
closed with ``effective_to`` and linked to their successor.
"""

import datetime

REFORM_DATE = datetime.date(2025, 7, 1)
DEPARTMENT_MERGER_DATE = datetime.date(2025, 3, 1)

PROVINCE_NAME = "Tỉnh Thanh Hóa"

# key, code, name, short name, address, phone, e-mail
PROVINCIAL_AGENCIES = [
    ("UBND", "000.00.00.H56", "Ủy ban nhân dân tỉnh Thanh Hóa", "UBND tỉnh",
     "Số 35 Đại lộ Lê Lợi, phường Hạc Thành", "0237 3852 341", "ubnd@thanhhoa.gov.vn"),
    ("VP", "000.00.01.H56", "Văn phòng Ủy ban nhân dân tỉnh", "Văn phòng UBND tỉnh",
     "Số 35 Đại lộ Lê Lợi, phường Hạc Thành", "0237 3852 378", "vpubnd@thanhhoa.gov.vn"),
    ("SNV", "000.00.02.H56", "Sở Nội vụ", "Sở Nội vụ",
     "Số 6 Phan Chu Trinh, phường Hạc Thành", "0237 3852 175", "sonoivu@thanhhoa.gov.vn"),
    ("STP", "000.00.03.H56", "Sở Tư pháp", "Sở Tư pháp",
     "Số 2 Hạc Thành, phường Hạc Thành", "0237 3852 460", "sotuphap@thanhhoa.gov.vn"),
    ("STC", "000.00.04.H56", "Sở Tài chính", "Sở Tài chính",
     "Số 28 Đại lộ Lê Lợi, phường Hạc Thành", "0237 3852 366", "sotaichinh@thanhhoa.gov.vn"),
    ("SXD", "000.00.05.H56", "Sở Xây dựng", "Sở Xây dựng",
     "Số 36 Đại lộ Lê Lợi, phường Hạc Thành", "0237 3852 147", "soxaydung@thanhhoa.gov.vn"),
    ("SCT", "000.00.07.H56", "Sở Công Thương", "Sở Công Thương",
     "Số 45 Đại lộ Lê Lợi, phường Hạc Thành", "0237 3852 318", "socongthuong@thanhhoa.gov.vn"),
    ("SNNMT", "000.00.08.H56", "Sở Nông nghiệp và Môi trường", "Sở NN&MT",
     "Số 14 Hạc Thành, phường Hạc Thành", "0237 3852 305", "sonnmt@thanhhoa.gov.vn"),
    ("SGD", "000.00.09.H56", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT",
     "Số 10 Đại lộ Lê Lợi, phường Hạc Thành", "0237 3852 211", "sogddt@thanhhoa.gov.vn"),
    ("SYT", "000.00.10.H56", "Sở Y tế", "Sở Y tế",
     "Số 101 Nguyễn Trãi, phường Hạc Thành", "0237 3852 488", "soyte@thanhhoa.gov.vn"),
    ("SVH", "000.00.11.H56", "Sở Văn hóa, Thể thao và Du lịch", "Sở VH,TT&DL",
     "Số 25 Đại lộ Lê Lợi, phường Hạc Thành", "0237 3852 503", "sovhttdl@thanhhoa.gov.vn"),
    ("SKHCN", "000.00.12.H56", "Sở Khoa học và Công nghệ", "Sở KH&CN",
     "Số 15 Hạc Thành, phường Hạc Thành", "0237 3852 270", "sokhcn@thanhhoa.gov.vn"),
    ("SDTTG", "000.00.13.H56", "Sở Dân tộc và Tôn giáo", "Sở DT&TG",
     "Số 47 Đại lộ Lê Lợi, phường Hạc Thành", "0237 3852 419", "sodttg@thanhhoa.gov.vn"),
    ("TTRA", "000.00.14.H56", "Thanh tra tỉnh", "Thanh tra tỉnh",
     "Số 24 Hạc Thành, phường Hạc Thành", "0237 3852 244", "thanhtra@thanhhoa.gov.vn"),
    ("BQLKKT", "000.00.15.H56", "Ban Quản lý Khu kinh tế Nghi Sơn và các khu công nghiệp", "BQL KKT Nghi Sơn",
     "Số 51 Đại lộ Lê Lợi, phường Hạc Thành", "0237 3721 188", "bqlkktns@thanhhoa.gov.vn"),
    ("TTHCC", "000.00.16.H56", "Trung tâm Phục vụ hành chính công tỉnh", "TTPVHCC tỉnh",
     "Số 28 Đại lộ Lê Lợi, phường Hạc Thành", "0237 3730 999", "ttpvhcc@thanhhoa.gov.vn"),
    ("CA", "000.00.17.H56", "Công an tỉnh Thanh Hóa", "Công an tỉnh",
     "Số 17 Trần Phú, phường Hạc Thành", "0237 3852 399", "congan@thanhhoa.gov.vn"),
    ("VPDKDD", "000.00.18.H56", "Văn phòng Đăng ký đất đai tỉnh Thanh Hóa", "VP Đăng ký đất đai",
     "Số 14 Hạc Thành, phường Hạc Thành", "0237 3750 456", "vpdkdd@thanhhoa.gov.vn"),
    ("TTDVVL", "000.00.19.H56", "Trung tâm Dịch vụ việc làm Thanh Hóa", "TT Dịch vụ việc làm",
     "Số 1 Lý Nam Đế, phường Hạc Thành", "0237 3710 303", "vieclam@thanhhoa.gov.vn"),
    ("BCHQS", "000.00.20.H56", "Bộ Chỉ huy Quân sự tỉnh", "Bộ CHQS tỉnh",
     "Số 2 Lê Thánh Tông, phường Hạc Thành", "0237 3852 628", "bchqs@thanhhoa.gov.vn"),
]  # fmt: skip

# Units under another provincial unit (key → parent key); the rest sit under UBND tỉnh.
PARENTS = {"VPDKDD": "SNNMT", "TTDVVL": "SNV", "TTHCC": "VP"}

# Communes and wards since 1 July 2025: key, name, seat address, phone.
COMMUNES = [
    ("HACTHANH", "Ủy ban nhân dân phường Hạc Thành", "Số 2 Trần Phú, phường Hạc Thành", "0237 3852 616"),
    ("HAMRONG", "Ủy ban nhân dân phường Hàm Rồng", "Số 488 Bà Triệu, phường Hàm Rồng", "0237 3961 215"),
    ("DONGQUANG", "Ủy ban nhân dân phường Đông Quang", "Phố Nguyễn Phục, phường Đông Quang", "0237 3911 022"),
    ("DONGSON", "Ủy ban nhân dân phường Đông Sơn", "Số 80 Lê Lợi, phường Đông Sơn", "0237 3820 118"),
    ("DONGTIEN", "Ủy ban nhân dân phường Đông Tiến", "Thôn Thịnh Trị, phường Đông Tiến", "0237 3820 551"),
    ("NGUYETVIEN", "Ủy ban nhân dân phường Nguyệt Viên", "Quốc lộ 1A, phường Nguyệt Viên", "0237 3960 315"),
    ("QUANGPHU", "Ủy ban nhân dân phường Quảng Phú", "Đường Nam Sông Mã, phường Quảng Phú", "0237 3911 640"),
    ("SAMSON", "Ủy ban nhân dân phường Sầm Sơn", "Số 8 Nguyễn Du, phường Sầm Sơn", "0237 3821 263"),
    ("NAMSAMSON", "Ủy ban nhân dân phường Nam Sầm Sơn", "Đường Thanh Niên, phường Nam Sầm Sơn", "0237 3798 120"),
    ("BIMSON", "Ủy ban nhân dân phường Bỉm Sơn", "Số 10 Trần Phú, phường Bỉm Sơn", "0237 3824 351"),
    ("QUANGTRUNG", "Ủy ban nhân dân phường Quang Trung", "Đường Lê Lợi, phường Quang Trung", "0237 3770 212"),
    ("NGHISON", "Ủy ban nhân dân phường Nghi Sơn", "Khu phố Bắc Hải, phường Nghi Sơn", "0237 3862 418"),
    ("TINHGIA", "Ủy ban nhân dân phường Tĩnh Gia", "Số 2 Phan Bội Châu, phường Tĩnh Gia", "0237 3861 245"),
    ("NGOCSON", "Ủy ban nhân dân phường Ngọc Sơn", "Khu phố Ngọc Sơn, phường Ngọc Sơn", "0237 3861 790"),
    ("HOANGHOA", "Ủy ban nhân dân xã Hoằng Hóa", "Tiểu khu 1, xã Hoằng Hóa", "0237 3865 127"),
    ("HAULOC", "Ủy ban nhân dân xã Hậu Lộc", "Khu phố 2, xã Hậu Lộc", "0237 3831 214"),
    ("NGASON", "Ủy ban nhân dân xã Nga Sơn", "Tiểu khu Hưng Long, xã Nga Sơn", "0237 3872 128"),
    ("HATRUNG", "Ủy ban nhân dân xã Hà Trung", "Tiểu khu 3, xã Hà Trung", "0237 3836 213"),
    ("VINHLOC", "Ủy ban nhân dân xã Vĩnh Lộc", "Khu phố 1, xã Vĩnh Lộc", "0237 3870 112"),
    ("THIEUHOA", "Ủy ban nhân dân xã Thiệu Hóa", "Tiểu khu 4, xã Thiệu Hóa", "0237 3842 231"),
    ("YENDINH", "Ủy ban nhân dân xã Yên Định", "Khu phố Tân Ninh, xã Yên Định", "0237 3869 121"),
    ("THOXUAN", "Ủy ban nhân dân xã Thọ Xuân", "Khu 3, xã Thọ Xuân", "0237 3833 306"),
    ("SAOVANG", "Ủy ban nhân dân xã Sao Vàng", "Thôn Đồng Tâm, xã Sao Vàng", "0237 3533 402"),
    ("TRIEUSON", "Ủy ban nhân dân xã Triệu Sơn", "Tiểu khu Giắt, xã Triệu Sơn", "0237 3867 116"),
    ("NONGCONG", "Ủy ban nhân dân xã Nông Cống", "Khu phố 2, xã Nông Cống", "0237 3836 517"),
    ("NGOCLAC", "Ủy ban nhân dân xã Ngọc Lặc", "Phố Lê Lai, xã Ngọc Lặc", "0237 3871 230"),
    ("CAMTHUY", "Ủy ban nhân dân xã Cẩm Thủy", "Tổ dân phố Lương Ngọc, xã Cẩm Thủy", "0237 3876 124"),
    ("THACHTHANH", "Ủy ban nhân dân xã Thạch Thành", "Phố 2, xã Thạch Thành", "0237 3877 135"),
    ("NHUTHANH", "Ủy ban nhân dân xã Như Thanh", "Khu phố 1, xã Như Thanh", "0237 3848 112"),
    ("THUONGXUAN", "Ủy ban nhân dân xã Thường Xuân", "Khu phố 3, xã Thường Xuân", "0237 3873 141"),
    ("BATHUOC", "Ủy ban nhân dân xã Bá Thước", "Phố 1, xã Bá Thước", "0237 3880 216"),
    ("MUONGLAT", "Ủy ban nhân dân xã Mường Lát", "Khu phố Ón, xã Mường Lát", "0237 3893 102"),
]

# Agencies closed by the 2025 reforms: key, code, name, tier, address, phone, effective_to, successor key.
FORMER_AGENCIES = [
    ("SGTVT", "000.00.06.H56", "Sở Giao thông vận tải", "province",
     "Số 36 Đại lộ Lê Lợi, phường Lam Sơn, thành phố Thanh Hóa", "0237 3852 147", DEPARTMENT_MERGER_DATE, "SXD"),
    ("SKHDT", "000.00.21.H56", "Sở Kế hoạch và Đầu tư", "province",
     "Số 45B Đại lộ Lê Lợi, phường Điện Biên, thành phố Thanh Hóa", "0237 3852 366", DEPARTMENT_MERGER_DATE, "STC"),
    ("TPTH", "000.00.31.H56", "Ủy ban nhân dân thành phố Thanh Hóa", "district",
     "Số 2 Trần Phú, phường Điện Biên, thành phố Thanh Hóa", "0237 3852 616", REFORM_DATE, "HACTHANH"),
    ("HDONGSON", "000.00.37.H56", "Ủy ban nhân dân huyện Đông Sơn", "district",
     "Thị trấn Rừng Thông, huyện Đông Sơn", "0237 3820 118", REFORM_DATE, "DONGSON"),
    ("HHOANGHOA", "000.00.40.H56", "Ủy ban nhân dân huyện Hoằng Hóa", "district",
     "Thị trấn Bút Sơn, huyện Hoằng Hóa", "0237 3865 127", REFORM_DATE, "HOANGHOA"),
]  # fmt: skip


def commune_code(index: int) -> str:
    """``000.NN.40.H56`` for the NN-th commune or ward (1-based)."""
    return f"000.{index:02d}.40.H56"
