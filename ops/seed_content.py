"""Invented news of an invented commune (xã Hòa Sơn, huyện Núi Xanh, tỉnh Lâm Vân), used by
`flask seed-demo` and the tests. Every name, figure and event here is made up.

Stories are templates: `{thon}` is a hamlet, `{nam}` a year, `{so}` a number, so that each
can be told more than once about different places and times.
"""

HAMLETS = (
    "Nà Khoang", "Phiêng Lá", "Khuổi Tát", "Bản Mòng", "Trung Tâm", "Lũng Vài",
    "Đông Chè", "Suối Ngọt", "Pác Ngòi", "Đồng Đăng",
)  # fmt: skip

SETTINGS = {
    "site_name": "Cổng thông tin điện tử xã Hòa Sơn",
    "welcome": "Chào mừng bạn đến với Cổng thông tin điện tử xã Hòa Sơn, huyện Núi Xanh",
    "address": "Thôn Trung Tâm, xã Hòa Sơn, huyện Núi Xanh, tỉnh Lâm Vân",
    "phone": "0209 3 812 345",
    "fax": "0209 3 812 346",
    "email": "ubnd@hoason.example",
    "responsible": "Ông Lục Văn Thành – Phó Chủ tịch UBND xã",
    "licence": "Trang thông tin điện tử của UBND xã Hòa Sơn (dữ liệu minh họa)",
    "operator": "Vận hành: Văn phòng HĐND – UBND xã Hòa Sơn",
    "portal_district": "https://nuixanh.example",
    "portal_province": "https://dichvucong.lamvan.example",
    "portal_national": "https://dichvucong.gov.vn",
}

CATEGORIES = (
    ("Tin hoạt động", "tin-hoat-dong", "Hoạt động của Đảng ủy, HĐND, UBND và các đoàn thể xã."),
    ("Kinh tế – Nông nghiệp", "kinh-te-nong-nghiep", "Sản xuất, chăn nuôi, thị trường, việc làm."),
    ("Văn hóa – Xã hội", "van-hoa-xa-hoi", "Lễ hội, thể thao, an sinh xã hội và đời sống."),
    ("Giáo dục – Y tế", "giao-duc-y-te", "Trường học, trạm y tế và chăm sóc sức khỏe."),
    ("Cải cách hành chính", "cai-cach-hanh-chinh", "Thủ tục hành chính, một cửa và dịch vụ công."),
    ("Quốc phòng – An ninh", "quoc-phong-an-ninh", "Quân sự, công an xã và trật tự an toàn."),
    ("Thông báo", "thong-bao", "Thông báo, lịch tiếp dân và kế hoạch của UBND xã."),
)

AUTHORS = ("Hoàng Thị Mai", "Nông Văn Sơn", "Lý Thị Hà", "Triệu Văn Đức", "Ma Thị Lan", "Phương Hà")
SOURCES = (
    "UBND xã Hòa Sơn", "Đài truyền thanh xã", "Hội Nông dân xã", "Trạm Y tế xã",
    "Công an xã", "Đoàn Thanh niên xã",
)  # fmt: skip

# (category slug, title, summary, body paragraphs); an item of the body may be a dict
# holding a list, a table or a quotation instead of a paragraph.
STORIES = [
    ("tin-hoat-dong", "HĐND xã Hòa Sơn tổ chức kỳ họp thường lệ giữa năm {nam}",
     "Kỳ họp đã đánh giá kết quả sáu tháng đầu năm và thông qua nhiều nghị quyết quan trọng về "
     "giao thông, thủy lợi và giáo dục.",
     ["Sáng nay, Hội đồng nhân dân xã Hòa Sơn khóa XXI tổ chức kỳ họp thường lệ giữa năm {nam}. "
      "Dự kỳ họp có {so} đại biểu HĐND xã cùng đại diện các thôn, bản.",
      "Theo báo cáo của UBND xã, tổng sản lượng lương thực sáu tháng đầu năm ước đạt 52% kế "
      "hoạch; thu ngân sách trên địa bàn đạt 61% dự toán; không có hộ tái nghèo.",
      {"heading": "Các nghị quyết được thông qua"},
      {"list": ["Nghị quyết về kế hoạch làm đường bê tông liên thôn",
                "Nghị quyết về sửa chữa kênh mương nội đồng thôn {thon}",
                "Nghị quyết về hỗ trợ học sinh bán trú"]},
      "Phát biểu bế mạc, Chủ tịch HĐND xã đề nghị các đại biểu sớm thông tin kết quả kỳ họp tới "
      "cử tri và giám sát việc thực hiện nghị quyết."]),
    ("tin-hoat-dong", "Tiếp xúc cử tri thôn {thon} trước kỳ họp HĐND xã",
     "Cử tri thôn {thon} kiến nghị sửa đường vào khu sản xuất, lắp thêm đèn chiếu sáng và "
     "hỗ trợ giống cây trồng.",
     ["Tổ đại biểu HĐND xã đã tiếp xúc cử tri thôn {thon} với gần {so} cử tri tham dự.",
      "Các ý kiến tập trung vào đường vào khu sản xuất bị sạt lở sau mưa lớn, việc lắp đèn "
      "chiếu sáng ở ngã ba trung tâm thôn và hỗ trợ giống ngô cho vụ mới.",
      {"quote": "Con đường này có rồi thì bà con mang lúa, ngô về nhà không phải gánh bộ nữa.",
       "by": "ông Hoàng Văn Phú, cử tri thôn {thon}"},
      "Đại diện UBND xã đã trả lời trực tiếp nhiều kiến nghị; các nội dung vượt thẩm quyền được "
      "tổng hợp gửi lên huyện."]),
    ("tin-hoat-dong", "Đảng bộ xã Hòa Sơn sơ kết công tác xây dựng Đảng năm {nam}",
     "Năm {nam}, Đảng bộ xã kết nạp {so} đảng viên mới; 100% chi bộ thôn sinh hoạt đúng định kỳ.",
     ["Ban Chấp hành Đảng bộ xã Hòa Sơn vừa tổ chức hội nghị sơ kết công tác xây dựng Đảng.",
      "Hội nghị ghi nhận các chi bộ đã đổi mới nội dung sinh hoạt, gắn với nhiệm vụ phát triển "
      "kinh tế của từng thôn; nhiều chi bộ chọn chuyên đề về trồng rừng, chăn nuôi an toàn.",
      "Trong năm, Đảng bộ kết nạp {so} đảng viên mới, trong đó có nhiều đoàn viên thanh niên "
      "và người dân tộc thiểu số ở thôn {thon}."]),
    ("tin-hoat-dong", "UBND xã làm việc với các thôn về tiến độ xây dựng nông thôn mới",
     "Đến nay xã đã đạt 15 trên 19 tiêu chí; thôn {thon} phấn đấu đạt thôn nông thôn mới kiểu "
     "mẫu trong năm {nam}.",
     ["UBND xã Hòa Sơn vừa làm việc với trưởng các thôn về tiến độ xây dựng nông thôn mới.",
      {"table": [["Tiêu chí", "Kết quả", "Ghi chú"],
                 ["Giao thông", "Đạt", "Đã bê tông 85% đường thôn"],
                 ["Thủy lợi", "Đạt", ""],
                 ["Thu nhập", "Chưa đạt", "Cần tăng thêm khoảng 4 triệu đồng/người/năm"],
                 ["Môi trường", "Chưa đạt", "Thiếu điểm thu gom rác ở thôn {thon}"]]},
      "Chủ tịch UBND xã yêu cầu các thôn tập trung vào tiêu chí thu nhập và môi trường, "
      "vận động nhân dân phân loại rác tại nguồn."]),
    ("kinh-te-nong-nghiep", "Thôn {thon} ra quân làm đường giao thông nông thôn",
     "Hơn {so} ngày công đã được bà con đóng góp để bê tông hóa 1,2 km đường vào khu sản xuất.",
     ["Hưởng ứng phong trào chung sức xây dựng nông thôn mới, nhân dân thôn {thon} đã ra quân "
      "làm đường giao thông nông thôn.",
      "Nhà nước hỗ trợ xi măng, bà con góp cát, sỏi và ngày công. Tuyến đường dài 1,2 km, rộng "
      "3 m, nối khu dân cư với cánh đồng phía sau thôn.",
      "Dự kiến công trình hoàn thành trước mùa mưa, giúp bà con vận chuyển nông sản thuận lợi."]),
    ("kinh-te-nong-nghiep", "Mô hình nuôi gà đồi ở thôn {thon} cho thu nhập ổn định",
     "Từ {so} con gà giống ban đầu, nhiều hộ đã mở rộng đàn, thu lãi vài chục triệu đồng mỗi lứa.",
     ["Tận dụng đồi thấp quanh nhà, nhiều hộ ở thôn {thon} đã chuyển sang nuôi gà thả đồi.",
      "Hội Nông dân xã phối hợp với cán bộ khuyến nông hướng dẫn kỹ thuật làm chuồng, tiêm "
      "phòng và ủ men thức ăn từ ngô, sắn sẵn có.",
      {"list": ["Chọn giống gà địa phương, khỏe, ít bệnh", "Tiêm phòng đầy đủ theo lịch",
                "Giữ chuồng khô ráo, sát trùng định kỳ"]},
      "Gà đồi Hòa Sơn thịt chắc, được thương lái trong huyện đặt mua trước mỗi dịp lễ, Tết."]),
    ("kinh-te-nong-nghiep", "Xã Hòa Sơn khẩn trương gieo cấy vụ mùa năm {nam}",
     "Toàn xã phấn đấu gieo cấy {so} ha lúa vụ mùa, ưu tiên giống ngắn ngày để kịp trồng cây vụ "
     "đông.",
     ["Tranh thủ thời tiết thuận lợi, bà con các thôn đang khẩn trương làm đất, gieo cấy vụ mùa.",
      "UBND xã đã chỉ đạo tổ thủy nông điều tiết nước hợp lý, ưu tiên những chân ruộng cao ở "
      "thôn {thon} thường thiếu nước.",
      "Cán bộ nông nghiệp khuyến cáo bà con không cấy quá lịch thời vụ để tránh sâu bệnh "
      "cuối vụ."]),
    ("kinh-te-nong-nghiep", "Hợp tác xã chè Đông Chè ký hợp đồng tiêu thụ {so} tấn chè búp",
     "Hợp đồng mới giúp hơn 120 hộ trồng chè yên tâm về đầu ra với giá ổn định cả năm {nam}.",
     ["Hợp tác xã chè Đông Chè vừa ký hợp đồng tiêu thụ chè búp tươi với một công ty chế biến.",
      "Theo hợp đồng, giá thu mua được giữ ổn định suốt năm, chè đạt tiêu chuẩn an toàn được "
      "cộng thêm giá.",
      "Ban quản lý hợp tác xã cho biết sẽ mở lớp tập huấn kỹ thuật hái, bảo quản chè cho xã viên "
      "các thôn {thon} và Đông Chè."]),
    ("kinh-te-nong-nghiep", "Phòng chống rét cho đàn trâu, bò trong mùa đông {nam}",
     "Xã khuyến cáo che chắn chuồng trại, dự trữ rơm, cỏ khô; không thả rông gia súc khi nhiệt "
     "độ dưới 10 độ C.",
     ["Dự báo mùa đông năm nay có nhiều đợt rét đậm, rét hại kéo dài.",
      {"heading": "Những việc bà con cần làm ngay"},
      {"list": ["Che chắn kín chuồng trại, lót ổ rơm khô", "Dự trữ rơm, cỏ khô, thân cây ngô",
                "Cho gia súc uống nước ấm pha chút muối", "Không thả rông khi trời rét đậm"]},
      "Hộ nào phát hiện gia súc ốm, chết cần báo ngay cho trưởng thôn {thon} hoặc cán bộ thú y."]),
    ("kinh-te-nong-nghiep", "Trồng mới {so} ha rừng sản xuất tại thôn {thon}",
     "Các hộ được hỗ trợ cây giống keo, quế; cán bộ kiểm lâm hướng dẫn kỹ thuật trồng và chăm sóc.",
     ["Tết trồng cây năm {nam}, thôn {thon} trồng mới {so} ha rừng sản xuất.",
      "Các hộ được hỗ trợ cây giống keo, quế chất lượng cao; cán bộ kiểm lâm địa bàn hướng dẫn "
      "đào hố, bón lót và trồng đúng kỹ thuật.",
      "Rừng trồng vừa giữ đất, giữ nước cho khe suối, vừa mang lại thu nhập lâu dài cho bà con."]),
    ("van-hoa-xa-hoi", "Rộn ràng lễ hội Lồng tồng xã Hòa Sơn năm {nam}",
     "Lễ hội xuống đồng đầu năm thu hút hàng nghìn người dân và du khách với nhiều trò chơi dân "
     "gian.",
     ["Lễ hội Lồng tồng (xuống đồng) năm {nam} được tổ chức tại bãi ruộng thôn {thon}.",
      "Phần lễ cầu mong mưa thuận gió hòa, mùa màng bội thu. Phần hội có ném còn, kéo co, đẩy "
      "gậy, thi nấu cơm lam và hát then, đàn tính.",
      "Lễ hội là dịp để bà con giao lưu, gìn giữ bản sắc văn hóa của đồng bào Tày, Nùng."]),
    ("van-hoa-xa-hoi", "Trao {so} suất quà Tết cho hộ nghèo, hộ khó khăn",
     "Quà gồm gạo, dầu ăn, bánh kẹo và tiền mặt, được trao tận tay từng hộ ở các thôn vùng cao.",
     ["Nhân dịp Tết Nguyên đán, UBND xã phối hợp với Ủy ban MTTQ xã trao {so} suất quà cho hộ "
      "nghèo, hộ cận nghèo và gia đình chính sách.",
      "Mỗi suất quà gồm 10 kg gạo, dầu ăn, bánh kẹo và 300.000 đồng tiền mặt. Với những hộ ở xa "
      "như thôn {thon}, cán bộ xã mang quà đến tận nhà.",
      "Đây là nguồn động viên kịp thời để bà con đón Tết ấm áp."]),
    ("van-hoa-xa-hoi", "Giải bóng chuyền hơi các thôn xã Hòa Sơn năm {nam}",
     "{so} đội bóng đến từ các thôn tranh tài sôi nổi; đội thôn {thon} giành chức vô địch.",
     ["Giải bóng chuyền hơi năm {nam} quy tụ {so} đội bóng nam, nữ của các thôn.",
      "Sau năm ngày thi đấu sôi nổi, đội thôn {thon} giành chức vô địch nội dung nam; đội thôn "
      "Trung Tâm vô địch nội dung nữ.",
      "Giải đấu góp phần đẩy mạnh phong trào rèn luyện thân thể trong nhân dân."]),
    ("van-hoa-xa-hoi", "Thôn {thon} khánh thành nhà văn hóa mới",
     "Nhà văn hóa rộng 120 m² được xây bằng nguồn hỗ trợ của Nhà nước và công sức của bà con.",
     ["Sáng nay, thôn {thon} tổ chức lễ khánh thành nhà văn hóa thôn.",
      "Công trình có tổng kinh phí khoảng 850 triệu đồng, trong đó nhân dân đóng góp gần {so} "
      "ngày công và hiến đất xây dựng.",
      "Nhà văn hóa sẽ là nơi họp thôn, sinh hoạt văn nghệ, thể thao và tuyên truyền pháp luật."]),
    ("van-hoa-xa-hoi", "Ra mắt câu lạc bộ hát then, đàn tính xã Hòa Sơn",
     "Câu lạc bộ có {so} thành viên, nhiều nghệ nhân cao tuổi nhận truyền dạy cho lớp trẻ.",
     ["Câu lạc bộ hát then, đàn tính xã Hòa Sơn chính thức ra mắt với {so} thành viên.",
      "Các nghệ nhân cao tuổi ở thôn {thon} nhận truyền dạy cách làm đàn, đánh đàn và những làn "
      "điệu then cổ cho thanh thiếu niên.",
      "Câu lạc bộ sinh hoạt vào tối thứ bảy hằng tuần tại nhà văn hóa xã."]),
    ("van-hoa-xa-hoi", "Hòa Sơn chi trả trợ cấp xã hội tháng {so} năm {nam}",
     "Người hưởng trợ cấp nhận tiền tại điểm chi trả thôn hoặc qua tài khoản ngân hàng.",
     ["UBND xã thông báo lịch chi trả trợ cấp xã hội hằng tháng cho người cao tuổi, người khuyết "
      "tật và các đối tượng bảo trợ xã hội.",
      "Người hưởng mang theo căn cước công dân khi nhận tiền tại điểm chi trả. Người không tự đi "
      "được có thể ủy quyền cho người thân.",
      "Tại thôn {thon}, điểm chi trả đặt ở nhà văn hóa thôn từ 7 giờ 30 sáng."]),
    ("giao-duc-y-te", "Trường Tiểu học Hòa Sơn khai giảng năm học mới {nam}",
     "Năm học mới trường có {so} học sinh, trong đó gần một nửa học bán trú tại điểm trường "
     "chính.",
     ["Trong không khí tưng bừng, Trường Tiểu học Hòa Sơn tổ chức lễ khai giảng năm học mới.",
      "Năm nay trường có {so} học sinh ở điểm trường chính và hai điểm trường lẻ ở thôn {thon}, "
      "Lũng Vài.",
      "Nhà trường đã sửa chữa phòng học, bếp ăn bán trú và nhận thêm sách giáo khoa từ các nhà "
      "hảo tâm."]),
    ("giao-duc-y-te", "Trạm Y tế xã tiêm chủng mở rộng đợt {so} năm {nam}",
     "Trẻ dưới 5 tuổi được tiêm, uống vắc xin miễn phí; cha mẹ nhớ mang theo sổ tiêm chủng.",
     ["Trạm Y tế xã Hòa Sơn tổ chức buổi tiêm chủng mở rộng đợt {so}.",
      {"table": [["Thời gian", "Địa điểm", "Đối tượng"],
                 ["Ngày 10", "Trạm Y tế xã", "Trẻ các thôn Trung Tâm, Đông Chè"],
                 ["Ngày 11", "Nhà văn hóa thôn {thon}", "Trẻ các thôn vùng cao"]]},
      "Cha mẹ mang theo sổ tiêm chủng và không cho trẻ ăn quá no trước khi tiêm."]),
    ("giao-duc-y-te", "Khám sức khỏe miễn phí cho người cao tuổi thôn {thon}",
     "Hơn {so} người cao tuổi được khám, đo huyết áp, xét nghiệm đường máu và nhận thuốc miễn phí.",
     ["Trạm Y tế xã phối hợp với Hội Người cao tuổi tổ chức khám sức khỏe cho người cao tuổi "
      "thôn {thon}.",
      "Qua khám, nhiều cụ được phát hiện tăng huyết áp, đái tháo đường và được hướng dẫn theo "
      "dõi, điều trị tại trạm.",
      "Các y sĩ cũng tư vấn chế độ ăn ít muối, tập thể dục nhẹ nhàng hằng ngày."]),
    ("giao-duc-y-te", "Phòng chống sốt xuất huyết: diệt bọ gậy tại {so} hộ gia đình",
     "Đoàn viên thanh niên cùng y tế thôn kiểm tra, lật úp dụng cụ chứa nước và phun thuốc khu "
     "vực có ca bệnh.",
     ["Trước nguy cơ sốt xuất huyết, xã Hòa Sơn ra quân chiến dịch diệt bọ gậy.",
      {"list": ["Đậy kín dụng cụ chứa nước", "Thả cá ăn bọ gậy vào bể lớn",
                "Thu gom vỏ chai, lốp xe cũ", "Ngủ màn cả ban ngày"]},
      "Người có biểu hiện sốt cao liên tục cần đến trạm y tế ngay, không tự ý truyền dịch tại "
      "nhà. Khu vực thôn {thon} đã được phun thuốc diệt muỗi."]),
    ("giao-duc-y-te", "Trường Mầm non Hòa Sơn tổ chức ngày hội đến trường của bé",
     "{so} cháu mầm non hào hứng tham gia các trò chơi, làm quen với lớp học mới.",
     ["Trường Mầm non Hòa Sơn tổ chức ngày hội đến trường cho các cháu năm học {nam}.",
      "Các cô giáo đã trang trí lớp học, chuẩn bị đồ chơi tự làm từ tre, nứa, vỏ chai.",
      "Phụ huynh thôn {thon} cho biết rất yên tâm khi con được học và ăn bán trú tại trường."]),
    ("cai-cach-hanh-chinh", "Bộ phận một cửa xã Hòa Sơn giải quyết {so} hồ sơ đúng hạn",
     "Tỷ lệ hồ sơ trả đúng hạn đạt 99%; người dân có thể nộp hồ sơ trực tuyến ở nhiều thủ tục.",
     ["Trong quý vừa qua, Bộ phận tiếp nhận và trả kết quả xã tiếp nhận {so} hồ sơ.",
      "Các thủ tục nhiều nhất là chứng thực bản sao, đăng ký khai sinh, xác nhận tình trạng "
      "hôn nhân.",
      "Người dân thôn {thon} và các thôn xa được hướng dẫn nộp hồ sơ trực tuyến trên Cổng Dịch vụ "
      "công, không phải đi lại nhiều lần."]),
    ("cai-cach-hanh-chinh", "Hướng dẫn đăng ký khai sinh trực tuyến cho trẻ mới sinh",
     "Cha mẹ có thể đăng ký khai sinh, thường trú và cấp thẻ bảo hiểm y tế cho con qua một hồ "
     "sơ trực tuyến.",
     ["Từ năm {nam}, cha mẹ có thể làm thủ tục liên thông đăng ký khai sinh trực tuyến.",
      {"heading": "Các bước thực hiện"},
      {"list": ["Đăng nhập Cổng Dịch vụ công quốc gia bằng tài khoản định danh điện tử",
                "Chọn thủ tục liên thông đăng ký khai sinh",
                "Điền thông tin, đính kèm ảnh chụp giấy chứng sinh",
                "Nhận kết quả tại Bộ phận một cửa xã hoặc qua bưu điện"]},
      "Cán bộ tư pháp xã sẵn sàng hướng dẫn tại nhà văn hóa thôn {thon} vào sáng thứ năm."]),
    ("cai-cach-hanh-chinh", "Tổ công nghệ số cộng đồng hỗ trợ người dân thôn {thon}",
     "Tổ đã hướng dẫn {so} người dân cài đặt, kích hoạt tài khoản định danh điện tử.",
     ["Tổ công nghệ số cộng đồng thôn {thon} ra mắt với thành viên là trưởng thôn, đoàn viên "
      "thanh niên và công an viên.",
      "Tổ đi từng nhà hướng dẫn bà con cài đặt ứng dụng, kích hoạt tài khoản định danh điện tử "
      "và thanh toán không dùng tiền mặt.",
      "Đến nay đã có {so} người được hỗ trợ."]),
    ("cai-cach-hanh-chinh", "Công khai thủ tục hành chính thuộc thẩm quyền UBND xã năm {nam}",
     "Danh mục gồm {so} thủ tục được niêm yết tại trụ sở và đăng trên trang thông tin điện tử xã.",
     ["UBND xã Hòa Sơn công khai danh mục thủ tục hành chính thuộc thẩm quyền giải quyết.",
      "Mỗi thủ tục ghi rõ thành phần hồ sơ, thời hạn giải quyết, phí, lệ phí và nơi tiếp nhận.",
      "Người dân phát hiện cán bộ gây phiền hà có thể phản ánh qua số điện thoại đường dây nóng "
      "của xã hoặc hòm thư góp ý đặt tại thôn {thon}."]),
    ("quoc-phong-an-ninh", "Giao quân năm {nam}: {so} thanh niên Hòa Sơn lên đường nhập ngũ",
     "Các tân binh khỏe mạnh, phấn khởi; nhiều người đã tốt nghiệp trung học phổ thông.",
     ["Trong không khí phấn khởi, xã Hòa Sơn tổ chức lễ tiễn {so} thanh niên lên đường nhập ngũ.",
      "Các tân binh đều đạt sức khỏe loại 1, loại 2; trong đó thôn {thon} có ba thanh niên.",
      "Lãnh đạo xã đã tặng quà, động viên các tân binh yên tâm rèn luyện, hoàn thành tốt "
      "nhiệm vụ."]),
    ("quoc-phong-an-ninh", "Công an xã tuyên truyền phòng chống lừa đảo qua mạng tại thôn {thon}",
     "Người dân được hướng dẫn nhận biết các thủ đoạn giả danh cơ quan nhà nước, nhân viên ngân "
     "hàng.",
     ["Công an xã Hòa Sơn tổ chức buổi tuyên truyền phòng chống lừa đảo qua mạng cho {so} người "
      "dân thôn {thon}.",
      {"list": ["Không cung cấp mã OTP cho bất kỳ ai",
                "Công an không làm việc qua điện thoại, mạng xã hội",
                "Không bấm vào đường link lạ", "Gặp nghi ngờ, báo ngay Công an xã"]},
      "Buổi tuyên truyền được bà con hưởng ứng, nhiều người kể lại các cuộc gọi lạ đã nhận."]),
    ("quoc-phong-an-ninh", "Dân quân xã Hòa Sơn huấn luyện năm {nam}",
     "{so} chiến sĩ dân quân tham gia huấn luyện điều lệnh, kỹ thuật và phòng chống thiên tai.",
     ["Ban Chỉ huy Quân sự xã tổ chức huấn luyện cho lực lượng dân quân năm {nam}.",
      "Nội dung gồm điều lệnh đội ngũ, kỹ thuật chiến đấu, cứu hộ cứu nạn khi lũ quét, sạt lở "
      "đất.",
      "Kết thúc đợt huấn luyện, trung đội dân quân thôn {thon} được khen thưởng."]),
    ("quoc-phong-an-ninh", "Ra mắt mô hình camera an ninh ở thôn {thon}",
     "{so} camera được lắp ở các ngã ba, cầu treo và nhà văn hóa, góp phần giữ trật tự thôn bản.",
     ["Thôn {thon} ra mắt mô hình camera an ninh do nhân dân đóng góp kinh phí.",
      "Hình ảnh được lưu lại tại nhà trưởng thôn và công an viên phụ trách địa bàn.",
      "Từ khi lắp camera, tình trạng trộm cắp gia súc và đi xe máy tốc độ cao đã giảm rõ rệt."]),
    ("thong-bao", "Thông báo lịch tiếp công dân tháng {so} năm {nam}",
     "Chủ tịch UBND xã tiếp công dân định kỳ vào sáng thứ năm tuần thứ hai của tháng.",
     ["UBND xã Hòa Sơn thông báo lịch tiếp công dân định kỳ tháng {so}:",
      {"table": [["Thời gian", "Người tiếp", "Địa điểm"],
                 ["Sáng thứ năm tuần 2", "Chủ tịch UBND xã", "Phòng tiếp dân, trụ sở UBND xã"],
                 ["Các ngày làm việc", "Cán bộ tiếp dân", "Bộ phận một cửa"]]},
      "Công dân thôn {thon} và các thôn khác đến đúng giờ, mang theo giấy tờ tùy thân và tài "
      "liệu liên quan."]),
    ("thong-bao", "Thông báo tạm ngừng cấp điện khu vực thôn {thon}",
     "Điện lực sẽ tạm ngừng cấp điện để bảo dưỡng đường dây từ 7 giờ đến 16 giờ; mong bà con "
     "thông cảm.",
     ["Để bảo dưỡng đường dây và thay cột điện, Điện lực huyện Núi Xanh sẽ tạm ngừng cấp điện "
      "khu vực thôn {thon} từ 7 giờ đến 16 giờ ngày {so}.",
      "Bà con chủ động sắp xếp công việc, bảo quản thực phẩm và không đến gần khu vực đang thi "
      "công."]),
    ("thong-bao", "Thông báo thu gom rác thải theo lịch mới từ tháng {so}",
     "Xe thu gom sẽ chạy vào sáng thứ ba và thứ bảy; bà con để rác đã phân loại đúng nơi quy định.",
     ["Từ tháng {so} năm {nam}, lịch thu gom rác thải trên địa bàn xã thay đổi như sau:",
      {"list": ["Thôn Trung Tâm, Đông Chè: sáng thứ ba và thứ bảy",
                "Thôn {thon}, Nà Khoang: chiều thứ ba",
                "Các thôn còn lại: tự xử lý rác hữu cơ tại hộ, rác khó phân hủy mang ra điểm "
                "tập kết"]},
      "Đề nghị bà con không đổ rác xuống suối, ven đường."]),
    ("thong-bao", "Thông báo tuyển dụng cộng tác viên dân số thôn {thon}",
     "Ứng viên là người đang sinh sống tại thôn, có trình độ trung học cơ sở trở lên, nộp hồ sơ "
     "trước ngày {so}.",
     ["UBND xã cần tuyển một cộng tác viên dân số tại thôn {thon}.",
      "Hồ sơ gồm đơn đăng ký, sơ yếu lý lịch có xác nhận và bản sao bằng cấp, nộp tại Bộ phận một "
      "cửa xã.",
      "Mọi thắc mắc xin liên hệ Văn phòng UBND xã trong giờ hành chính."]),
]

PAGES = [
    ("Giới thiệu", "gioi-thieu", "vi", """
<h2>Vị trí địa lý</h2>
<p>Xã Hòa Sơn nằm ở phía bắc huyện Núi Xanh, tỉnh Lâm Vân, cách trung tâm huyện 28 km. Phía
đông giáp xã Đồng Lâm, phía tây giáp xã Tà Phìn, phía nam giáp thị trấn Núi Xanh, phía bắc giáp
huyện Bắc Sơn. Tổng diện tích tự nhiên 4.860 ha, trong đó đất rừng chiếm hơn 70%.</p>
<h2>Dân số và đơn vị hành chính</h2>
<p>Xã có 10 thôn, bản với khoảng 1.250 hộ, 5.400 nhân khẩu, chủ yếu là đồng bào Tày, Nùng,
Dao cùng sinh sống. Kinh tế chính là trồng lúa, ngô, chè và chăn nuôi đại gia súc.</p>
<h2>Chức năng, nhiệm vụ</h2>
<p>Ủy ban nhân dân xã là cơ quan hành chính nhà nước ở địa phương, chịu trách nhiệm trước Hội
đồng nhân dân xã và Ủy ban nhân dân huyện; tổ chức thực hiện Hiến pháp, pháp luật và nghị quyết
của Hội đồng nhân dân xã; quản lý nhà nước về kinh tế, văn hóa, xã hội, quốc phòng, an ninh
trên địa bàn.</p>
<ul>
<li>Xây dựng và tổ chức thực hiện kế hoạch phát triển kinh tế – xã hội, dự toán ngân sách
hằng năm;</li>
<li>Giải quyết thủ tục hành chính cho người dân, doanh nghiệp tại Bộ phận tiếp nhận và trả kết
quả (một cửa) và trên Cổng Dịch vụ công;</li>
<li>Quản lý đất đai, tài nguyên, bảo vệ môi trường và phòng, chống thiên tai;</li>
<li>Tổ chức thực hiện các chính sách an sinh xã hội, giáo dục, y tế, văn hóa, thể thao;</li>
<li>Bảo đảm an ninh chính trị, trật tự, an toàn xã hội; xây dựng lực lượng dân quân.</li>
</ul>
<h2>Giờ làm việc</h2>
<p>Sáng 7:30–11:30, chiều 13:30–17:00, từ thứ hai đến thứ sáu. Bộ phận một cửa làm việc thêm
sáng thứ bảy.</p>
<p><em>Nội dung trên trang này là dữ liệu minh họa.</em></p>
"""),
    ("Cơ cấu tổ chức", "co-cau-to-chuc", "vi", """
<p>Bộ máy chính quyền xã Hòa Sơn gồm Hội đồng nhân dân xã (cơ quan quyền lực nhà nước ở địa
phương, do cử tri bầu ra) và Ủy ban nhân dân xã (cơ quan hành chính nhà nước, do Hội đồng nhân
dân bầu). Giúp việc Ủy ban nhân dân xã có các công chức chuyên môn: Văn phòng – Thống kê, Tư
pháp – Hộ tịch, Tài chính – Kế toán, Địa chính – Xây dựng, Văn hóa – Xã hội, cùng Công an xã
và Ban Chỉ huy Quân sự xã.</p>
<p>Người dân có thể liên hệ trực tiếp với cán bộ, công chức theo danh sách dưới đây trong giờ
hành chính.</p>
"""),
    ("Liên hệ", "lien-he", "vi", """
<p><strong>Ủy ban nhân dân xã Hòa Sơn</strong></p>
<p>Địa chỉ: Thôn Trung Tâm, xã Hòa Sơn, huyện Núi Xanh, tỉnh Lâm Vân</p>
<p>Điện thoại: 0209 3 812 345 – Fax: 0209 3 812 346 – Email: ubnd@hoason.example</p>
<h2>Bộ phận tiếp nhận và trả kết quả (một cửa)</h2>
<p>Tầng 1, trụ sở UBND xã. Điện thoại: 0209 3 812 350. Làm việc sáng 7:30–11:30, chiều
13:30–17:00 từ thứ hai đến thứ sáu, sáng thứ bảy 7:30–11:00.</p>
<h2>Đường dây nóng</h2>
<ul>
<li>Chủ tịch UBND xã: 0209 3 812 300</li>
<li>Công an xã: 0209 3 812 113</li>
<li>Phòng, chống thiên tai, cháy rừng: 0209 3 812 320</li>
</ul>
<h2>Góp ý cho Cổng thông tin</h2>
<p>Mọi góp ý về nội dung xin gửi về hộp thư ubnd@hoason.example hoặc gặp trực tiếp Văn phòng
UBND xã.</p>
<p><em>Nội dung trên trang này là dữ liệu minh họa.</em></p>
"""),
    ("Contact (English)", "contact", "en", """
<p><strong>People's Committee of Hoa Son Commune</strong><br>Nui Xanh District, Lam Van
Province, Viet Nam</p>
<h2>About the commune</h2>
<p>Hoa Son is a mountain commune of 10 hamlets, about 1,250 households and 5,400 people, mostly
of the Tay, Nung and Dao ethnic groups. Its economy rests on rice, maize, tea and cattle.</p>
<h2>Organisation</h2>
<p>The People's Council is the local body elected by voters; the People's Committee, elected by
the Council, is the local administration. Specialised officers, the commune police and the
military unit assist the Committee.</p>
<h2>Contacts</h2>
<p>Address: Trung Tam hamlet, Hoa Son commune, Nui Xanh district, Lam Van province, Viet Nam</p>
<p>Phone: +84 209 3 812 345 – Fax: +84 209 3 812 346 – Email: ubnd@hoason.example</p>
<p>Office hours: 7:30–11:30 and 13:30–17:00, Monday to Friday (one-stop desk also Saturday
morning).</p>
<p><em>This page holds sample data.</em></p>
"""),
]

# Documents of the registry ("Văn bản"): (number, type, abstract, issuer, signer, field,
# days before today it was issued, days from issue to effect, days from issue to expiry).
# `{nam}` is the year of issue; normative documents carry it in their number.
DOCUMENTS = [
    ("45/QĐ-UBND", "Quyết định",
     "Quyết định ban hành Kế hoạch cải cách hành chính năm {nam} của UBND xã Hòa Sơn",
     "UBND xã Hòa Sơn", "Nông Văn Quyết", "Cải cách hành chính", 20, 0, None),
    ("12/{nam}/NQ-HĐND", "Nghị quyết",
     "Nghị quyết về kế hoạch đầu tư làm đường bê tông liên thôn giai đoạn {nam}–{nam2}",
     "HĐND xã Hòa Sơn", "Hoàng Văn Lợi", "Giao thông – Xây dựng", 35, 10, None),
    ("38/KH-UBND", "Kế hoạch",
     "Kế hoạch tổ chức Lễ hội Lồng tồng (xuống đồng) xã Hòa Sơn năm {nam}",
     "UBND xã Hòa Sơn", "Lục Văn Thành", "Văn hóa – Xã hội", 60, 0, 45),
    ("102/TB-UBND", "Thông báo",
     "Thông báo lịch tiếp công dân định kỳ của Chủ tịch UBND xã năm {nam}",
     "UBND xã Hòa Sơn", "Nông Văn Quyết", "Tiếp công dân", 90, 0, None),
    ("27/CV-UBND", "Công văn",
     "Công văn về việc đôn đốc tiêm vắc-xin phòng bệnh lở mồm long móng cho đàn gia súc",
     "UBND xã Hòa Sơn", "Lục Văn Thành", "Nông nghiệp", 120, 0, None),
    ("05/CT-UBND", "Chỉ thị",
     "Chỉ thị về tăng cường công tác phòng, chống cháy rừng mùa khô",
     "UBND xã Hòa Sơn", "Nông Văn Quyết", "Quốc phòng – An ninh", 150, 0, 120),
    ("16/BC-UBND", "Báo cáo",
     "Báo cáo kết quả thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông "
     "sáu tháng đầu năm {nam}",
     "UBND xã Hòa Sơn", "Lục Văn Thành", "Cải cách hành chính", 170, 0, None),
    ("88/QĐ-UBND", "Quyết định",
     "Quyết định phê duyệt danh sách hộ nghèo, hộ cận nghèo năm {nam} trên địa bàn xã",
     "UBND xã Hòa Sơn", "Nông Văn Quyết", "Lao động – Thương binh và Xã hội", 200, 0, 365),
    ("1520/QĐ-UBND", "Quyết định",
     "Quyết định công bố danh mục thủ tục hành chính thuộc thẩm quyền giải quyết của UBND "
     "cấp xã",
     "UBND huyện Núi Xanh", "Đinh Công Tráng", "Cải cách hành chính", 240, 15, None),
    ("09/HD-UBND", "Hướng dẫn",
     "Hướng dẫn đăng ký khai sinh, khai tử trực tuyến trên Cổng Dịch vụ công",
     "UBND xã Hòa Sơn", "Lục Văn Thành", "Tư pháp – Hộ tịch", 300, 0, None),
    ("21/{nam}/NQ-HĐND", "Nghị quyết",
     "Nghị quyết về dự toán thu, chi ngân sách xã năm {nam}",
     "HĐND xã Hòa Sơn", "Hoàng Văn Lợi", "Tài chính – Ngân sách", 400, 0, 60),
    ("33/KH-UBND", "Kế hoạch",
     "Kế hoạch tuyển sinh vào lớp 1 và lớp 6 năm học {nam}–{nam2}",
     "UBND xã Hòa Sơn", "Lục Văn Thành", "Giáo dục", 450, 0, 120),
    ("14/{nam}/QĐ-UBND", "Quyết định",
     "Quyết định thành lập Tổ công nghệ số cộng đồng các thôn",
     "UBND xã Hòa Sơn", "Nông Văn Quyết", "Khoa học – Công nghệ", 520, 0, None),
    ("07/TTr-UBND", "Tờ trình",
     "Tờ trình đề nghị hỗ trợ giống ngô, phân bón cho vụ Đông Xuân",
     "UBND xã Hòa Sơn", "Lục Văn Thành", "Nông nghiệp", 600, 0, None),
    ("52/{nam}/QĐ-UBND", "Quyết định",
     "Quyết định ban hành Quy chế làm việc của Ủy ban nhân dân xã nhiệm kỳ mới",
     "UBND xã Hòa Sơn", "Nông Văn Quyết", "Tổ chức – Nội vụ", 5, 14, None),
]  # fmt: skip

# The leadership listed on "Cơ cấu tổ chức" and the English page:
# (name, title, title in English, phone, email).
OFFICIALS = [
    ("Nông Văn Quyết", "Chủ tịch UBND xã", "Chairman of the People's Committee",
     "0209 3 812 300", "chutich@hoason.example"),
    ("Hoàng Văn Lợi", "Chủ tịch HĐND xã", "Chairman of the People's Council",
     "0209 3 812 310", "hdnd@hoason.example"),
    ("Lục Văn Thành", "Phó Chủ tịch UBND xã", "Vice Chairman of the People's Committee",
     "0209 3 812 301", "phochutich@hoason.example"),
    ("Hà Thị Ngọc", "Công chức Văn phòng – Thống kê", "Office and Statistics Officer",
     "0209 3 812 345", "vanphong@hoason.example"),
    ("Triệu Văn Minh", "Công chức Tư pháp – Hộ tịch", "Justice and Civil Status Officer",
     "0209 3 812 346", "tuphap@hoason.example"),
    ("Ma Thị Thu", "Công chức Tài chính – Kế toán", "Finance and Accounting Officer",
     "0209 3 812 347", "ketoan@hoason.example"),
    ("Lương Văn Hải", "Trưởng Công an xã", "Chief of the Commune Police",
     "0209 3 812 113", "congan@hoason.example"),
    ("Bế Văn Cường", "Chỉ huy trưởng Quân sự xã", "Commander of the Commune Military Unit",
     "0209 3 812 320", "quansu@hoason.example"),
]  # fmt: skip
OFFICIALS_PAGES = ("co-cau-to-chuc", "contact")
