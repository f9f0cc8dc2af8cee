"""Legal documents cited as căn cứ pháp lý: key → (number, title, issuer, issued on, in force from)."""

import datetime

D = datetime.date

QH = "Quốc hội"
CP = "Chính phủ"

LAWS = {
    # Tư pháp
    "LHT": ("60/2014/QH13", "Luật Hộ tịch", QH, D(2014, 11, 20), D(2016, 1, 1)),
    "ND123": ("123/2015/NĐ-CP", "Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch",
              CP, D(2015, 11, 15), D(2016, 1, 1)),
    "TT04": ("04/2020/TT-BTP", "Thông tư quy định chi tiết thi hành một số điều của Luật Hộ tịch và Nghị định số "
             "123/2015/NĐ-CP", "Bộ Tư pháp", D(2020, 5, 28), D(2020, 7, 16)),
    "ND63_2024": ("63/2024/NĐ-CP", "Nghị định quy định việc thực hiện liên thông điện tử 02 nhóm thủ tục hành chính: "
                  "đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi; đăng ký "
                  "khai tử, xóa đăng ký thường trú, giải quyết mai táng phí, tử tuất", CP, D(2024, 6, 10),
                  D(2024, 7, 1)),
    "TT85": ("85/2019/TT-BTC", "Thông tư hướng dẫn về phí và lệ phí thuộc thẩm quyền quyết định của Hội đồng nhân "
             "dân tỉnh, thành phố trực thuộc Trung ương", "Bộ Tài chính", D(2019, 11, 29), D(2020, 1, 1)),
    "LNCN": ("52/2010/QH12", "Luật Nuôi con nuôi", QH, D(2010, 6, 17), D(2011, 1, 1)),
    "ND19": ("19/2011/NĐ-CP", "Nghị định quy định chi tiết thi hành một số điều của Luật Nuôi con nuôi", CP,
             D(2011, 3, 21), D(2011, 5, 5)),
    "ND23": ("23/2015/NĐ-CP", "Nghị định về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, chứng thực chữ "
             "ký và chứng thực hợp đồng, giao dịch", CP, D(2015, 2, 16), D(2015, 4, 10)),
    "TT01_2020": ("01/2020/TT-BTP", "Thông tư quy định chi tiết và hướng dẫn thi hành một số điều của Nghị định số "
                  "23/2015/NĐ-CP", "Bộ Tư pháp", D(2020, 3, 3), D(2020, 4, 20)),
    "TT226": ("226/2016/TT-BTC", "Thông tư quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí chứng thực",
              "Bộ Tài chính", D(2016, 11, 11), D(2017, 1, 1)),
    "LLLTP": ("28/2009/QH12", "Luật Lý lịch tư pháp", QH, D(2009, 6, 17), D(2010, 7, 1)),
    "ND111": ("111/2010/NĐ-CP", "Nghị định quy định chi tiết và hướng dẫn thi hành một số điều của Luật Lý lịch tư "
              "pháp", CP, D(2010, 11, 23), D(2011, 1, 10)),
    "TT244": ("244/2016/TT-BTC", "Thông tư quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí cung cấp thông "
              "tin lý lịch tư pháp", "Bộ Tài chính", D(2016, 11, 11), D(2017, 1, 1)),
    "LCC": ("46/2024/QH15", "Luật Công chứng", QH, D(2024, 11, 26), D(2025, 7, 1)),
    "LLS": ("65/2006/QH11", "Luật Luật sư", QH, D(2006, 6, 29), D(2007, 1, 1)),
    "LTGPL": ("11/2017/QH14", "Luật Trợ giúp pháp lý", QH, D(2017, 6, 20), D(2018, 1, 1)),
    "LHGCS": ("35/2013/QH13", "Luật Hòa giải ở cơ sở", QH, D(2013, 6, 20), D(2014, 1, 1)),
    "LTNBT": ("10/2017/QH14", "Luật Trách nhiệm bồi thường của Nhà nước", QH, D(2017, 6, 20), D(2018, 7, 1)),
    # Xây dựng, giao thông
    "LXD": ("50/2014/QH13", "Luật Xây dựng", QH, D(2014, 6, 18), D(2015, 1, 1)),
    "LXD62": ("62/2020/QH14", "Luật sửa đổi, bổ sung một số điều của Luật Xây dựng", QH, D(2020, 6, 17),
              D(2021, 1, 1)),
    "ND175": ("175/2024/NĐ-CP", "Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Xây dựng về quản "
              "lý hoạt động xây dựng", CP, D(2024, 12, 30), D(2024, 12, 30)),
    "LNO": ("27/2023/QH15", "Luật Nhà ở", QH, D(2023, 11, 27), D(2024, 8, 1)),
    "LKDBDS": ("29/2023/QH15", "Luật Kinh doanh bất động sản", QH, D(2023, 11, 28), D(2024, 8, 1)),
    "LQH": ("47/2024/QH15", "Luật Quy hoạch đô thị và nông thôn", QH, D(2024, 11, 26), D(2025, 7, 1)),
    "LTTATGT": ("36/2024/QH15", "Luật Trật tự, an toàn giao thông đường bộ", QH, D(2024, 6, 27), D(2025, 1, 1)),
    "LDB": ("35/2024/QH15", "Luật Đường bộ", QH, D(2024, 6, 27), D(2025, 1, 1)),
    "TT12_2025": ("12/2025/TT-BCA", "Thông tư quy định về sát hạch, cấp giấy phép lái xe; cấp, sử dụng giấy phép lái "
                  "xe quốc tế", "Bộ Công an", D(2025, 2, 28), D(2025, 3, 1)),
    "TT12_2017": ("12/2017/TT-BGTVT", "Thông tư quy định về đào tạo, sát hạch, cấp giấy phép lái xe cơ giới đường bộ",
                  "Bộ Giao thông vận tải", D(2017, 4, 15), D(2017, 6, 1)),
    "TT37_2023": ("37/2023/TT-BTC", "Thông tư quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí sát hạch lái "
                  "xe; lệ phí cấp bằng, chứng chỉ được hoạt động trên các loại phương tiện", "Bộ Tài chính",
                  D(2023, 6, 7), D(2023, 7, 22)),
    "ND158": ("158/2024/NĐ-CP", "Nghị định quy định về hoạt động vận tải đường bộ", CP, D(2024, 12, 18),
              D(2025, 1, 1)),
    "LGTDTND": ("23/2004/QH11", "Luật Giao thông đường thủy nội địa", QH, D(2004, 6, 15), D(2005, 1, 1)),
    "LXNC": ("49/2019/QH14", "Luật Xuất cảnh, nhập cảnh của công dân Việt Nam", QH, D(2019, 11, 22), D(2020, 7, 1)),
    # Kinh doanh, đầu tư, tài chính
    "LDN": ("59/2020/QH14", "Luật Doanh nghiệp", QH, D(2020, 6, 17), D(2021, 1, 1)),
    "ND01": ("01/2021/NĐ-CP", "Nghị định về đăng ký doanh nghiệp", CP, D(2021, 1, 4), D(2021, 1, 4)),
    "ND168": ("168/2025/NĐ-CP", "Nghị định về đăng ký doanh nghiệp", CP, D(2025, 6, 30), D(2025, 7, 1)),
    "LHTX": ("17/2023/QH15", "Luật Hợp tác xã", QH, D(2023, 6, 20), D(2024, 7, 1)),
    "LDT": ("61/2020/QH14", "Luật Đầu tư", QH, D(2020, 6, 17), D(2021, 1, 1)),
    "ND31": ("31/2021/NĐ-CP", "Nghị định quy định chi tiết và hướng dẫn thi hành một số điều của Luật Đầu tư", CP,
             D(2021, 3, 26), D(2021, 3, 26)),
    "LNSNN": ("83/2015/QH13", "Luật Ngân sách nhà nước", QH, D(2015, 6, 25), D(2017, 1, 1)),
    "LTSC": ("15/2017/QH14", "Luật Quản lý, sử dụng tài sản công", QH, D(2017, 6, 21), D(2018, 1, 1)),
    "ND151": ("151/2017/NĐ-CP", "Nghị định quy định chi tiết một số điều của Luật Quản lý, sử dụng tài sản công",
              CP, D(2017, 12, 26), D(2017, 12, 26)),
    "LGIA": ("16/2023/QH15", "Luật Giá", QH, D(2023, 6, 19), D(2024, 7, 1)),
    # Thương mại, công nghiệp
    "LTM": ("36/2005/QH11", "Luật Thương mại", QH, D(2005, 6, 14), D(2006, 1, 1)),
    "ND81": ("81/2018/NĐ-CP", "Nghị định quy định chi tiết Luật Thương mại về hoạt động xúc tiến thương mại", CP,
             D(2018, 5, 22), D(2018, 5, 22)),
    "ND105": ("105/2017/NĐ-CP", "Nghị định về kinh doanh rượu", CP, D(2017, 9, 14), D(2017, 11, 1)),
    "ND67_2013": ("67/2013/NĐ-CP", "Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Phòng, chống "
                  "tác hại của thuốc lá về kinh doanh thuốc lá", CP, D(2013, 6, 27), D(2013, 8, 15)),
    "ND83": ("83/2014/NĐ-CP", "Nghị định về kinh doanh xăng dầu", CP, D(2014, 9, 3), D(2014, 11, 1)),
    "ND09": ("09/2018/NĐ-CP", "Nghị định quy định chi tiết Luật Thương mại và Luật Quản lý ngoại thương về hoạt động "
             "mua bán hàng hóa và các hoạt động liên quan trực tiếp đến mua bán hàng hóa của nhà đầu tư nước ngoài, "
             "tổ chức kinh tế có vốn đầu tư nước ngoài tại Việt Nam", CP, D(2018, 1, 15), D(2018, 1, 15)),
    "LDL": ("28/2004/QH11", "Luật Điện lực", QH, D(2004, 12, 3), D(2005, 7, 1)),
    "LHC": ("06/2007/QH12", "Luật Hóa chất", QH, D(2007, 11, 21), D(2008, 7, 1)),
    "LVLN": ("42/2024/QH15", "Luật Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ trợ", QH, D(2024, 6, 29),
             D(2025, 1, 1)),
    "ND55": ("55/2018/NĐ-CP", "Nghị định về khuyến công", CP, D(2018, 4, 16), D(2018, 6, 1)),
    "LATTP": ("55/2010/QH12", "Luật An toàn thực phẩm", QH, D(2010, 6, 17), D(2011, 7, 1)),
    "ND15": ("15/2018/NĐ-CP", "Nghị định quy định chi tiết thi hành một số điều của Luật An toàn thực phẩm", CP,
             D(2018, 2, 2), D(2018, 2, 2)),
    # Lao động, việc làm, người có công, xã hội
    "BLLD": ("45/2019/QH14", "Bộ luật Lao động", QH, D(2019, 11, 20), D(2021, 1, 1)),
    "ND152": ("152/2020/NĐ-CP", "Nghị định quy định về người lao động nước ngoài làm việc tại Việt Nam và tuyển dụng, "
              "quản lý người lao động Việt Nam làm việc cho tổ chức, cá nhân nước ngoài tại Việt Nam", CP,
              D(2020, 12, 30), D(2021, 2, 15)),
    "ND70_2023": ("70/2023/NĐ-CP", "Nghị định sửa đổi, bổ sung một số điều của Nghị định số 152/2020/NĐ-CP", CP,
                  D(2023, 9, 18), D(2023, 9, 18)),
    "ND145": ("145/2020/NĐ-CP", "Nghị định quy định chi tiết và hướng dẫn thi hành một số điều của Bộ luật Lao động "
              "về điều kiện lao động và quan hệ lao động", CP, D(2020, 12, 14), D(2021, 2, 1)),
    "LVL": ("38/2013/QH13", "Luật Việc làm", QH, D(2013, 11, 16), D(2015, 1, 1)),
    "ND28": ("28/2015/NĐ-CP", "Nghị định quy định chi tiết thi hành một số điều của Luật Việc làm về bảo hiểm thất "
             "nghiệp", CP, D(2015, 3, 12), D(2015, 5, 1)),
    "LNLDNN": ("69/2020/QH14", "Luật Người lao động Việt Nam đi làm việc ở nước ngoài theo hợp đồng", QH,
               D(2020, 11, 13), D(2022, 1, 1)),
    "PLUDNCC": ("02/2020/UBTVQH14", "Pháp lệnh Ưu đãi người có công với cách mạng", "Ủy ban Thường vụ Quốc hội",
                D(2020, 12, 9), D(2021, 2, 1)),
    "ND131": ("131/2021/NĐ-CP", "Nghị định quy định chi tiết và biện pháp thi hành Pháp lệnh Ưu đãi người có công "
              "với cách mạng", CP, D(2021, 12, 30), D(2022, 2, 15)),
    "ND20": ("20/2021/NĐ-CP", "Nghị định quy định chính sách trợ giúp xã hội đối với đối tượng bảo trợ xã hội", CP,
             D(2021, 3, 15), D(2021, 7, 1)),
    "LNKT": ("51/2010/QH12", "Luật Người khuyết tật", QH, D(2010, 6, 17), D(2011, 1, 1)),
    "ND07_2021": ("07/2021/NĐ-CP", "Nghị định quy định chuẩn nghèo đa chiều giai đoạn 2021 – 2025", CP,
                  D(2021, 1, 27), D(2021, 1, 27)),
    "LTE": ("102/2016/QH13", "Luật Trẻ em", QH, D(2016, 4, 5), D(2017, 6, 1)),
    "ND56": ("56/2017/NĐ-CP", "Nghị định quy định chi tiết một số điều của Luật Trẻ em", CP, D(2017, 5, 9),
             D(2017, 6, 25)),
    # Nội vụ
    "LTDKT": ("06/2022/QH15", "Luật Thi đua, khen thưởng", QH, D(2022, 6, 15), D(2024, 1, 1)),
    "ND98": ("98/2023/NĐ-CP", "Nghị định quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng", CP,
             D(2023, 12, 31), D(2024, 1, 1)),
    "LCBCC": ("80/2025/QH15", "Luật Cán bộ, công chức", QH, D(2025, 6, 24), D(2025, 7, 1)),
    "LVC": ("58/2010/QH12", "Luật Viên chức", QH, D(2010, 11, 15), D(2012, 1, 1)),
    "ND126": ("126/2024/NĐ-CP", "Nghị định quy định về tổ chức, hoạt động và quản lý hội", CP, D(2024, 10, 8),
              D(2024, 11, 26)),
    "ND93": ("93/2019/NĐ-CP", "Nghị định về tổ chức, hoạt động của quỹ xã hội, quỹ từ thiện", CP, D(2019, 11, 25),
             D(2020, 1, 15)),
    "LLT": ("33/2024/QH15", "Luật Lưu trữ", QH, D(2024, 6, 21), D(2025, 7, 1)),
    # Y tế, giáo dục
    "LKCB": ("15/2023/QH15", "Luật Khám bệnh, chữa bệnh", QH, D(2023, 1, 9), D(2024, 1, 1)),
    "ND96": ("96/2023/NĐ-CP", "Nghị định quy định chi tiết một số điều của Luật Khám bệnh, chữa bệnh", CP,
             D(2023, 12, 30), D(2024, 1, 1)),
    "LDUOC": ("105/2016/QH13", "Luật Dược", QH, D(2016, 4, 6), D(2017, 1, 1)),
    "ND54": ("54/2017/NĐ-CP", "Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Dược", CP,
             D(2017, 5, 8), D(2017, 7, 1)),
    "ND98_2021": ("98/2021/NĐ-CP", "Nghị định về quản lý trang thiết bị y tế", CP, D(2021, 11, 8), D(2022, 1, 1)),
    "LGD": ("43/2019/QH14", "Luật Giáo dục", QH, D(2019, 6, 14), D(2020, 7, 1)),
    "ND125": ("125/2024/NĐ-CP", "Nghị định quy định về điều kiện đầu tư và hoạt động trong lĩnh vực giáo dục", CP,
              D(2024, 10, 5), D(2024, 11, 19)),
    "LGDNN": ("74/2014/QH13", "Luật Giáo dục nghề nghiệp", QH, D(2014, 11, 27), D(2015, 7, 1)),
    # Đất đai, môi trường, nông nghiệp
    "LDD": ("31/2024/QH15", "Luật Đất đai", QH, D(2024, 1, 18), D(2024, 8, 1)),
    "ND101": ("101/2024/NĐ-CP", "Nghị định quy định về điều tra cơ bản đất đai; đăng ký, cấp Giấy chứng nhận quyền "
              "sử dụng đất, quyền sở hữu tài sản gắn liền với đất và hệ thống thông tin đất đai", CP, D(2024, 7, 29),
              D(2024, 8, 1)),
    "ND102": ("102/2024/NĐ-CP", "Nghị định quy định chi tiết thi hành một số điều của Luật Đất đai", CP,
              D(2024, 7, 30), D(2024, 8, 1)),
    "ND99": ("99/2022/NĐ-CP", "Nghị định về đăng ký biện pháp bảo đảm", CP, D(2022, 11, 30), D(2023, 1, 15)),
    "LBVMT": ("72/2020/QH14", "Luật Bảo vệ môi trường", QH, D(2020, 11, 17), D(2022, 1, 1)),
    "ND08": ("08/2022/NĐ-CP", "Nghị định quy định chi tiết một số điều của Luật Bảo vệ môi trường", CP,
             D(2022, 1, 10), D(2022, 1, 10)),
    "LTNN": ("28/2023/QH15", "Luật Tài nguyên nước", QH, D(2023, 11, 27), D(2024, 7, 1)),
    "LKS": ("54/2024/QH15", "Luật Địa chất và khoáng sản", QH, D(2024, 11, 29), D(2025, 7, 1)),
    "LTT": ("31/2018/QH14", "Luật Trồng trọt", QH, D(2018, 11, 19), D(2020, 1, 1)),
    "LCN": ("32/2018/QH14", "Luật Chăn nuôi", QH, D(2018, 11, 19), D(2020, 1, 1)),
    "LTY": ("79/2015/QH13", "Luật Thú y", QH, D(2015, 6, 19), D(2016, 7, 1)),
    "LTS": ("18/2017/QH14", "Luật Thủy sản", QH, D(2017, 11, 21), D(2019, 1, 1)),
    "LLN": ("16/2017/QH14", "Luật Lâm nghiệp", QH, D(2017, 11, 15), D(2019, 1, 1)),
    "LTL": ("08/2017/QH14", "Luật Thủy lợi", QH, D(2017, 6, 19), D(2018, 7, 1)),
    "ND67_2018": ("67/2018/NĐ-CP", "Nghị định quy định chi tiết một số điều của Luật Thủy lợi", CP, D(2018, 5, 14),
                  D(2018, 7, 1)),
    "LPCTT": ("33/2013/QH13", "Luật Phòng, chống thiên tai", QH, D(2013, 6, 19), D(2014, 5, 1)),
    "LCNC": ("21/2008/QH12", "Luật Công nghệ cao", QH, D(2008, 11, 13), D(2009, 7, 1)),
    # Văn hóa, du lịch, tôn giáo
    "LDSVH": ("45/2024/QH15", "Luật Di sản văn hóa", QH, D(2024, 11, 23), D(2025, 7, 1)),
    "ND110": ("110/2018/NĐ-CP", "Nghị định quy định về quản lý và tổ chức lễ hội", CP, D(2018, 8, 29),
              D(2018, 10, 15)),
    "ND54_2019": ("54/2019/NĐ-CP", "Nghị định quy định về kinh doanh dịch vụ karaoke, dịch vụ vũ trường", CP,
                  D(2019, 6, 19), D(2019, 9, 1)),
    "ND144": ("144/2020/NĐ-CP", "Nghị định quy định về hoạt động nghệ thuật biểu diễn", CP, D(2020, 12, 14),
              D(2021, 2, 1)),
    "ND86": ("86/2023/NĐ-CP", "Nghị định quy định khung tiêu chuẩn và trình tự, thủ tục, hồ sơ xét tặng danh hiệu "
             "\u201cGia đình văn hóa\u201d; \u201cThôn, tổ dân phố văn hóa\u201d, "
             "\u201cXã, phường, thị trấn tiêu biểu\u201d", CP,
             D(2023, 12, 7), D(2024, 2, 1)),
    "LTHV": ("46/2019/QH14", "Luật Thư viện", QH, D(2019, 11, 21), D(2020, 7, 1)),
    "LTDTT": ("77/2006/QH11", "Luật Thể dục, thể thao", QH, D(2006, 11, 29), D(2007, 7, 1)),
    "ND36": ("36/2019/NĐ-CP", "Nghị định quy định chi tiết một số điều của Luật sửa đổi, bổ sung một số điều của "
             "Luật Thể dục, thể thao", CP, D(2019, 4, 29), D(2019, 6, 15)),
    "LQC": ("16/2012/QH13", "Luật Quảng cáo", QH, D(2012, 6, 21), D(2013, 1, 1)),
    "LDLICH": ("09/2017/QH14", "Luật Du lịch", QH, D(2017, 6, 19), D(2018, 1, 1)),
    "ND168_2017": ("168/2017/NĐ-CP", "Nghị định quy định chi tiết một số điều của Luật Du lịch", CP,
                   D(2017, 12, 31), D(2018, 1, 1)),
    "LTNTG": ("02/2016/QH14", "Luật Tín ngưỡng, tôn giáo", QH, D(2016, 11, 18), D(2018, 1, 1)),
    "ND95": ("95/2023/NĐ-CP", "Nghị định quy định chi tiết Luật Tín ngưỡng, tôn giáo", CP, D(2023, 12, 29),
             D(2024, 3, 30)),
    "ND124": ("124/2025/NĐ-CP", "Nghị định quy định về phân quyền, phân cấp trong lĩnh vực dân tộc, tôn giáo", CP,
              D(2025, 6, 11), D(2025, 7, 1)),
    # Khoa học và công nghệ, thông tin
    "LKHCN": ("29/2013/QH13", "Luật Khoa học và công nghệ", QH, D(2013, 6, 18), D(2014, 1, 1)),
    "ND08_2014": ("08/2014/NĐ-CP", "Nghị định quy định chi tiết và hướng dẫn thi hành một số điều của Luật Khoa học "
                  "và công nghệ", CP, D(2014, 1, 27), D(2014, 3, 15)),
    "LCGCN": ("07/2017/QH14", "Luật Chuyển giao công nghệ", QH, D(2017, 6, 19), D(2018, 7, 1)),
    "LNLNT": ("18/2008/QH12", "Luật Năng lượng nguyên tử", QH, D(2008, 6, 3), D(2009, 1, 1)),
    "LCLSP": ("05/2007/QH12", "Luật Chất lượng sản phẩm, hàng hóa", QH, D(2007, 11, 21), D(2008, 7, 1)),
    "LBC": ("103/2016/QH13", "Luật Báo chí", QH, D(2016, 4, 5), D(2017, 1, 1)),
    "LXB": ("19/2012/QH13", "Luật Xuất bản", QH, D(2012, 11, 20), D(2013, 7, 1)),
    "ND72": ("72/2013/NĐ-CP", "Nghị định về quản lý, cung cấp, sử dụng dịch vụ Internet và thông tin trên mạng", CP,
             D(2013, 7, 15), D(2013, 9, 1)),
    # Chung
    "ND118": ("118/2025/NĐ-CP", "Nghị định về thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông "
              "tại Bộ phận Một cửa và Cổng Dịch vụ công quốc gia", CP, D(2025, 6, 9), D(2025, 7, 1)),
    "ND61": ("61/2018/NĐ-CP", "Nghị định về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục "
             "hành chính", CP, D(2018, 4, 23), D(2018, 6, 21)),
    # Thanh tra, công an, quân sự
    "LKN": ("02/2011/QH13", "Luật Khiếu nại", QH, D(2011, 11, 11), D(2012, 7, 1)),
    "LTCAO": ("25/2018/QH14", "Luật Tố cáo", QH, D(2018, 6, 12), D(2019, 1, 1)),
    "LTCD": ("42/2013/QH13", "Luật Tiếp công dân", QH, D(2013, 11, 25), D(2014, 7, 1)),
    "LCTRU": ("68/2020/QH14", "Luật Cư trú", QH, D(2020, 11, 13), D(2021, 7, 1)),
    "LCCUOC": ("26/2023/QH15", "Luật Căn cước", QH, D(2023, 11, 27), D(2024, 7, 1)),
    "LNVQS": ("78/2015/QH13", "Luật Nghĩa vụ quân sự", QH, D(2015, 6, 19), D(2016, 1, 1)),
    "ND46_2024": ("46/2024/NĐ-CP", "Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Tố cáo", CP,
                  D(2024, 4, 24), D(2024, 6, 10)),
}  # fmt: skip
