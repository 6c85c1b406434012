"""Invented news of an invented commune, used by `flask seed-demo` and the tests: xã Hòa Sơn of
tỉnh Lâm Vân, formed on 1 July 2025 from three former communes under the two-level local
administration (xã under tỉnh, no district). Every name, figure and event here is made up.

Each story is told once. A story names the month it belongs to (harvest, school year, Tết...),
the drawn scene that illustrates it and a caption that says what that scene shows. Placeholders
are filled from the publication date: `{nam}` the year (`{nam_truoc}`, `{nam_sau}` the ones
around it), `{ngay}` the day ("ngày 5 tháng 3"), `{ngay_sau}` a week later ("12/3/2026").
"""

from typing import NamedTuple

COMMUNE = "xã Hòa Sơn"
PROVINCE = "tỉnh Lâm Vân"
# The commune was formed from these on 1 July 2025 (the reorganisation that ended districts).
FORMER_COMMUNES = ("Hòa Sơn", "Đồng Lâm", "Tà Phìn")
FOUNDED = (2025, 7, 1)

HAMLETS = (
    "Nà Khoang", "Phiêng Lá", "Khuổi Tát", "Bản Mòng", "Trung Tâm", "Lũng Vài", "Đông Chè",
    "Suối Ngọt", "Pác Ngòi", "Đồng Lâm", "Tà Phìn", "Nà Mò", "Khau Cưởm", "Bản Chang",
    "Nặm Dất", "Cốc Lùng",
)  # fmt: skip

SETTINGS = {
    "site_name": "Cổng thông tin điện tử xã Hòa Sơn",
    "welcome": "Chào mừng bạn đến với Cổng thông tin điện tử xã Hòa Sơn, tỉnh Lâm Vân",
    "address": "Thôn Trung Tâm, xã Hòa Sơn, tỉnh Lâm Vân",
    "phone": "0209 3 812 345",
    "fax": "0209 3 812 346",
    "email": "ubnd@hoason.example",
    "responsible": "Ông Lục Văn Thành – Phó Chủ tịch UBND xã",
    "licence": "Trang thông tin điện tử của UBND xã Hòa Sơn (dữ liệu minh họa)",
    "operator": "Vận hành: Văn phòng HĐND và UBND xã Hòa Sơn",
    # There is no district any more: the commune links to the province and the nation.
    "portal_district": "",
    "portal_province": "https://dichvucong.lamvan.example",
    "portal_national": "https://dichvucong.gov.vn",
}

CATEGORIES = (
    ("Tin hoạt động", "tin-hoat-dong",
     "Hoạt động của Đảng ủy, HĐND, UBND, Ủy ban MTTQ và các đoàn thể xã."),
    ("Kinh tế – Nông nghiệp", "kinh-te-nong-nghiep", "Sản xuất, chăn nuôi, thị trường, việc làm."),
    ("Văn hóa – Xã hội", "van-hoa-xa-hoi", "Lễ hội, thể thao, an sinh xã hội và đời sống."),
    ("Giáo dục – Y tế", "giao-duc-y-te", "Trường học, trạm y tế và chăm sóc sức khỏe."),
    ("Cải cách hành chính", "cai-cach-hanh-chinh",
     "Thủ tục hành chính, Trung tâm Phục vụ hành chính công và dịch vụ công trực tuyến."),
    ("Quốc phòng – An ninh", "quoc-phong-an-ninh", "Quân sự, công an xã và trật tự an toàn."),
    ("Thông báo", "thong-bao", "Thông báo, lịch tiếp công dân và kế hoạch của UBND xã."),
)  # fmt: skip

AUTHORS = ("Hoàng Thị Mai", "Nông Văn Sơn", "Lý Thị Hà", "Triệu Văn Đức", "Ma Thị Lan", "Phương Hà")
SOURCES = (
    "UBND xã Hòa Sơn", "Đài truyền thanh xã", "Hội Nông dân xã", "Trạm Y tế xã",
    "Công an xã", "Đoàn Thanh niên xã", "Trung tâm Phục vụ hành chính công xã",
)  # fmt: skip

# Demo accounts beside the admin, so that the desk shows a review between two people.
USERS = (
    ("bientap_mai", "Hoàng Thị Mai", "editor"),
    ("phongvien_son", "Nông Văn Sơn", "author"),
)

# The drawn scenes (see ops/seed.py): file name and the words a caption of it uses.
SCENES = {
    "ruong-bac-thang": ("ruộng", "lúa", "cánh đồng"),
    "hoi-truong": ("hội trường", "hội nghị", "kỳ họp", "đại biểu"),
    "duong-thon": ("đường",),
    "truong-hoc": ("trường", "học sinh", "lớp học"),
    "tram-y-te": ("trạm y tế",),
    "cho-phien": ("chợ",),
    "dien-tap-lu": ("diễn tập", "lũ", "cứu nạn"),
    "doi-che": ("chè",),
    "le-hoi": ("lễ hội", "còn"),
    "chuong-trai": ("trâu", "bò", "chuồng"),
    "trong-rung": ("rừng", "cây"),
    "mot-cua": ("hành chính công", "quầy", "hồ sơ"),
    "san-bong": ("bóng chuyền", "sân"),
    "nha-van-hoa": ("nhà văn hóa",),
}


class Story(NamedTuple):
    """One invented news story; a part of `parts` is a paragraph or a dict holding a
    heading, a list, a table or a quotation."""

    category: str
    title: str
    summary: str
    parts: list
    month: int | None = None
    scene: str | None = None
    caption: str = ""
    figure: tuple[str, str] | None = None  # (scene, caption) of a picture inside the body


STORIES = [
    # --- Tin hoạt động -------------------------------------------------------------------
    Story(
        "tin-hoat-dong", "HĐND xã Hòa Sơn khai mạc kỳ họp thường lệ cuối năm {nam}",
        "Kỳ họp xem xét báo cáo kinh tế – xã hội cả năm, dự toán ngân sách năm sau và "
        "chương trình làm đường liên thôn.",
        ["Sáng {ngay}, HĐND xã Hòa Sơn khai mạc kỳ họp thường lệ cuối năm {nam} tại hội "
         "trường UBND xã, với 31 trên 33 đại biểu có mặt.",
         "Báo cáo của UBND xã cho biết tổng sản lượng lương thực cả năm đạt khoảng 9.800 tấn, "
         "thu nhập bình quân ước 38 triệu đồng mỗi người; tỷ lệ hộ nghèo giảm còn 11,2%.",
         {"heading": "Nội dung trình kỳ họp"},
         {"list": ["Dự toán thu, chi ngân sách xã năm sau",
                   "Danh mục công trình đường bê tông liên thôn giai đoạn mới",
                   "Kế hoạch tổ chức các kỳ họp thường lệ năm sau"]},
         "Kỳ họp làm việc trong hai ngày; phiên chất vấn tập trung vào tiến độ cấp giấy "
         "chứng nhận quyền sử dụng đất ở các thôn thuộc xã Tà Phìn cũ."],
        month=12, scene="hoi-truong",
        caption="Các đại biểu HĐND xã dự phiên khai mạc kỳ họp tại hội trường UBND xã",
    ),
    Story(
        "tin-hoat-dong", "Cử tri thôn Khuổi Tát kiến nghị sửa ngầm tràn qua suối",
        "Tại buổi tiếp xúc trước kỳ họp, nhiều cử tri đề nghị nâng cao ngầm tràn để học sinh "
        "không phải nghỉ học mỗi khi nước lên.",
        ["Tổ đại biểu HĐND xã số 3 vừa tiếp xúc cử tri thôn Khuổi Tát, có 64 cử tri tham dự.",
         "Ý kiến được nhắc lại nhiều nhất là ngầm tràn qua suối Nậm Cáy: mỗi trận mưa to, "
         "nước ngập gần một mét, học sinh và người đi chợ phải chờ hàng giờ.",
         {"quote": "Mùa mưa năm nào cũng vậy, cháu nhà tôi tuần nào cũng có buổi phải nghỉ học.",
          "by": "bà Lành Thị Nhung, cử tri thôn Khuổi Tát"},
         "Phó Chủ tịch UBND xã cho biết ngầm tràn đã có trong danh mục đầu tư năm tới; trước "
         "mắt xã giao dân quân thôn cắm biển cảnh báo ở hai đầu đường và đứng chốt khi nước "
         "lên."],
        month=11,
    ),
    Story(
        "tin-hoat-dong", "Đảng ủy xã tổng kết công tác xây dựng Đảng năm {nam_truoc}",
        "Các chi bộ thôn sinh hoạt đều đặn, 27 quần chúng ưu tú được kết nạp; Đảng ủy đặt mục "
        "tiêu xóa thôn trắng đảng viên ở Nặm Dất.",
        ["Đảng ủy xã Hòa Sơn vừa tổ chức hội nghị tổng kết công tác xây dựng Đảng năm {nam_truoc}.",
         "Sau khi hợp nhất ba đảng bộ xã cũ, Đảng bộ xã hiện có 46 chi bộ trực thuộc với hơn "
         "1.100 đảng viên; việc chuyển sinh hoạt đảng đã hoàn thành trong tháng đầu tiên.",
         "Trong năm, Đảng bộ kết nạp 27 đảng viên mới, phần lớn là đoàn viên thanh niên và "
         "người dân tộc Dao ở các thôn vùng cao.",
         "Hội nghị thống nhất giao Ban Xây dựng Đảng giúp thôn Nặm Dất thành lập chi bộ riêng "
         "trong quý đầu năm tới."],
        month=1, scene="hoi-truong",
        caption="Quang cảnh hội nghị tổng kết của Đảng ủy xã tại hội trường xã",
    ),
    Story(
        "tin-hoat-dong", "Ủy ban MTTQ xã ra mắt mô hình \"Khu dân cư không rác thải nhựa\"",
        "Thôn Suối Ngọt là nơi đầu tiên thực hiện: mỗi hộ một giỏ đi chợ, nhà văn hóa thôn có "
        "điểm đổi chai nhựa lấy cây giống.",
        ["Ủy ban Mặt trận Tổ quốc xã phối hợp với Hội Liên hiệp Phụ nữ ra mắt mô hình khu dân "
         "cư không rác thải nhựa tại thôn Suối Ngọt.",
         "Mỗi hộ nhận một giỏ mây đi chợ; các quán tạp hóa trong thôn cam kết hạn chế túi ni "
         "lông mỏng và không bán ống hút nhựa.",
         "Tại nhà văn hóa thôn, cứ mười vỏ chai nhựa sạch bà con đổi được một cây bưởi hoặc "
         "cây quế giống do Hội Nông dân xã tài trợ.",
         "Sau ba tháng, Ủy ban MTTQ xã sẽ đánh giá để nhân rộng ra các thôn Bản Chang và "
         "Cốc Lùng."],
        month=6, scene="nha-van-hoa",
        caption="Phụ nữ thôn Suối Ngọt nhận giỏ đi chợ tại nhà văn hóa thôn",
    ),
    Story(
        "tin-hoat-dong", "Hoàn thành sắp xếp trụ sở sau khi hợp nhất ba xã",
        "Trụ sở xã Tà Phìn cũ thành điểm tiếp nhận hồ sơ; trụ sở xã Đồng Lâm cũ được giao cho "
        "trường mầm non làm phòng học.",
        ["UBND xã Hòa Sơn đã hoàn thành phương án sử dụng các trụ sở dôi dư sau khi hợp nhất "
         "ba xã Hòa Sơn, Đồng Lâm và Tà Phìn từ ngày 1 tháng 7 năm 2025.",
         {"table": [["Trụ sở cũ", "Công năng mới"],
                    ["Xã Hòa Sơn cũ", "Trụ sở Đảng ủy, HĐND, UBND xã"],
                    ["Xã Đồng Lâm cũ", "Phòng học của Trường Mầm non Hòa Sơn"],
                    ["Xã Tà Phìn cũ", "Điểm tiếp nhận hồ sơ và Công an xã"]]},
         "Người dân các thôn phía tây không phải đi gần 30 km đường đèo về trung tâm xã: tại "
         "điểm tiếp "
         "nhận Tà Phìn, hai công chức làm việc cả tuần và có máy tính nối mạng để nộp hồ sơ "
         "trực tuyến."],
        month=10, scene="mot-cua",
        caption="Quầy tiếp nhận hồ sơ tại điểm phục vụ hành chính công Tà Phìn",
    ),
    Story(
        "tin-hoat-dong", "Hội Cựu chiến binh xã đại hội nhiệm kỳ mới",
        "Đại hội bầu 11 ủy viên Ban Chấp hành và đề ra mục tiêu giúp 20 hội viên thoát nghèo "
        "bằng mô hình nuôi bò vỗ béo.",
        ["Hội Cựu chiến binh xã Hòa Sơn tổ chức đại hội đại biểu lần thứ nhất sau khi hợp nhất "
         "hội của ba xã cũ, với 120 đại biểu dự.",
         "Nhiệm kỳ qua, hội viên góp vốn xoay vòng giúp nhau mua 46 con bò giống; nhiều cựu "
         "chiến binh làm trưởng thôn, tổ trưởng tổ hòa giải.",
         "Đại hội bầu ông Hà Văn Tuấn làm Chủ tịch Hội và thông qua chỉ tiêu giúp 20 hội viên "
         "thoát nghèo trong nhiệm kỳ."],
        month=9,
    ),
    # --- Kinh tế – Nông nghiệp -----------------------------------------------------------
    Story(
        "kinh-te-nong-nghiep", "Thôn Nà Khoang đổ bê tông đường vào khu sản xuất",
        "Bà con góp cát, sỏi và 700 ngày công; Nhà nước hỗ trợ xi măng cho tuyến dài 1,2 km.",
        ["Tận dụng những ngày nắng ráo, nhân dân thôn Nà Khoang đổ bê tông tuyến đường nối khu "
         "dân cư với cánh đồng Nà Pục phía sau thôn.",
         "Tuyến đường dài 1,2 km, mặt rộng 3 m; xã hỗ trợ 180 tấn xi măng, còn cát, sỏi và hơn "
         "700 ngày công do các hộ tự đóng góp.",
         "Trưởng thôn cho biết trước đây mỗi vụ gặt bà con phải gánh lúa qua gần hai cây số đường "
         "đất trơn; nay xe công nông vào tận ruộng."],
        month=3, scene="duong-thon",
        caption="Bà con thôn Nà Khoang đổ bê tông mặt đường vào khu sản xuất",
    ),
    Story(
        "kinh-te-nong-nghiep", "Gieo cấy vụ mùa: ưu tiên giống lúa ngắn ngày",
        "Xã phấn đấu cấy xong 640 ha trước ngày 10 tháng 8, để kịp trồng ngô đông trên đất "
        "hai lúa.",
        ["Bà con các thôn đang tranh thủ nước mưa để làm đất, cấy lúa vụ mùa.",
         "Phòng Kinh tế xã khuyến cáo dùng các giống ngắn ngày, cấy mạ non và bón lót đầy đủ; "
         "những chân ruộng bậc thang ở Phiêng Lá nên cấy trước vì thường cạn nước sớm.",
         "Tổ thủy nông đã nạo vét 9 km kênh mương và sửa hai đập dâng ở Lũng Vài, bảo đảm "
         "nước tưới cho hơn 200 ha."],
        month=7, scene="ruong-bac-thang",
        caption="Ruộng bậc thang thôn Phiêng Lá vào mùa nước đổ",
    ),
    Story(
        "kinh-te-nong-nghiep", "Hợp tác xã chè Đông Chè ký hợp đồng bao tiêu 300 tấn chè búp",
        "Giá thu mua được giữ cả năm; chè đạt tiêu chuẩn an toàn được cộng thêm 2.000 đồng mỗi "
        "kilôgam.",
        ["Hợp tác xã chè Đông Chè vừa ký hợp đồng bán 300 tấn chè búp tươi cho một doanh nghiệp "
         "chế biến trong tỉnh.",
         "Hơn 120 hộ xã viên cam kết bón phân hữu cơ, ghi sổ nhật ký phun thuốc và hái đúng "
         "tiêu chuẩn một tôm hai lá.",
         "Giám đốc hợp tác xã cho biết năm tới sẽ làm hồ sơ chứng nhận sản phẩm OCOP cho chè "
         "xanh Đông Chè."],
        month=4, scene="doi-che",
        caption="Xã viên hợp tác xã hái chè trên đồi chè thôn Đông Chè",
    ),
    Story(
        "kinh-te-nong-nghiep", "Chống rét cho đàn trâu, bò khi nhiệt độ xuống dưới 10 độ",
        "Hơn 5.000 con trâu, bò của xã cần được che chắn chuồng, dự trữ thức ăn và không thả "
        "rông trong những ngày rét đậm.",
        ["Theo dự báo, đợt không khí lạnh mạnh sẽ khiến nhiệt độ vùng cao của xã xuống dưới "
         "10 độ C trong nhiều ngày.",
         {"heading": "Bà con cần làm ngay"},
         {"list": ["Quây bạt kín chuồng, lót ổ bằng rơm khô",
                   "Dự trữ rơm, cỏ ủ chua, thân cây ngô",
                   "Cho trâu, bò uống nước ấm có pha muối",
                   "Không thả rông và không cho gia súc cày kéo khi trời rét đậm"]},
         "Hộ nào có gia súc ốm, chết phải báo ngay cho thú y viên thôn, không bán chạy hay "
         "vứt xác xuống suối."],
        month=12, scene="chuong-trai",
        caption="Chuồng trâu được quây bạt kín gió ở thôn Bản Mòng",
    ),
    Story(
        "kinh-te-nong-nghiep", "Trồng mới 85 ha quế trên đất rừng sản xuất",
        "Các hộ ở Tà Phìn và Nà Mò nhận cây giống hỗ trợ; kiểm lâm hướng dẫn đào hố, bón lót "
        "trước khi trồng.",
        ["Hưởng ứng Tết trồng cây, xã Hòa Sơn trồng mới 85 ha quế trên đất rừng sản xuất.",
         "Cây giống được hỗ trợ từ chương trình phát triển lâm nghiệp của tỉnh; mỗi hộ nhận "
         "thêm phân lân để bón lót.",
         "Cán bộ kiểm lâm địa bàn khuyên bà con trồng theo đường đồng mức và giữ lại thảm cỏ "
         "quanh gốc để chống xói mòn."],
        month=2, scene="trong-rung",
        caption="Người dân thôn Nà Mò trồng cây quế trên sườn đồi",
        figure=("trong-rung", "Cây quế giống được chuyển lên rừng sản xuất ở Tà Phìn"),
    ),
    Story(
        "kinh-te-nong-nghiep", "Phiên chợ Hòa Sơn mở thêm khu bán nông sản an toàn",
        "Mười hai gian hàng của các tổ hợp tác bày bán rau, măng, mật ong có tem truy xuất "
        "nguồn gốc.",
        ["Từ phiên chợ ngày rằm, chợ trung tâm xã có thêm khu bán nông sản an toàn với mười "
         "hai gian hàng.",
         "Mỗi sản phẩm dán tem có mã QR; người mua quét mã sẽ thấy tên hộ sản xuất và ngày thu "
         "hoạch.",
         "Ban quản lý chợ miễn phí thuê gian hàng trong sáu tháng đầu cho các tổ hợp tác của "
         "phụ nữ và thanh niên."],
        month=5, scene="cho-phien",
        caption="Khu bán nông sản an toàn trong phiên chợ trung tâm xã",
    ),
    Story(
        "kinh-te-nong-nghiep", "Nuôi gà đồi ở Bản Chang: từ 200 con thành trang trại",
        "Sau ba năm, gia đình anh Lý Văn Toàn nuôi thường xuyên 3.000 con gà, mỗi lứa lãi hơn "
        "60 triệu đồng.",
        ["Anh Lý Văn Toàn ở thôn Bản Chang bắt đầu nuôi gà đồi với 200 con giống vay vốn ngân "
         "hàng chính sách.",
         "Anh rào lưới quanh quả đồi sau nhà, làm chuồng sàn và tự ủ men thức ăn từ ngô, cám "
         "gạo; gà được tiêm phòng đủ ba mũi.",
         "Nay trang trại thường xuyên có khoảng 3.000 con, thương lái đặt mua trước mỗi dịp lễ; "
         "anh còn nhận hướng dẫn miễn phí cho các hộ trong thôn."],
        month=8,
    ),
    # --- Văn hóa – Xã hội ----------------------------------------------------------------
    Story(
        "van-hoa-xa-hoi", "Rộn ràng lễ hội Lồng tồng xuống đồng đầu xuân",
        "Hàng nghìn người về bãi ruộng Nà Khoang dự lễ cầu mùa và thi ném còn, kéo co, thổi "
        "cơm lam.",
        ["Lễ hội Lồng tồng năm {nam} được tổ chức trên bãi ruộng lớn của thôn Nà Khoang.",
         "Phần lễ do các thầy mo cao tuổi thực hiện, cầu mưa thuận gió hòa; phần hội có ném "
         "còn qua vòng, kéo co, đẩy gậy và thi thổi cơm lam giữa các thôn.",
         "Lễ hội năm nay lần đầu quy tụ đội văn nghệ của cả ba xã cũ, nhiều làn điệu then, "
         "sli được biểu diễn trên sân khấu dựng ngay giữa ruộng."],
        month=2, scene="le-hoi",
        caption="Trai gái các thôn ném còn trong lễ hội Lồng tồng",
        figure=("le-hoi", "Cây còn dựng giữa bãi ruộng thôn Nà Khoang ngày lễ hội"),
    ),
    Story(
        "van-hoa-xa-hoi", "Trao 420 suất quà Tết cho hộ nghèo và gia đình chính sách",
        "Mỗi suất gồm gạo, dầu ăn, bánh kẹo và 500.000 đồng; cán bộ xã mang quà đến tận nhà "
        "những hộ ở xa.",
        ["Trước Tết Nguyên đán, UBND xã cùng Ủy ban MTTQ xã trao 420 suất quà cho hộ nghèo, hộ "
         "cận nghèo, người có công và gia đình chính sách.",
         "Nguồn quà do các doanh nghiệp, nhà hảo tâm và cán bộ, công chức xã đóng góp, tổng "
         "trị giá khoảng 290 triệu đồng.",
         "Với những gia đình ở các thôn Khau Cưởm và Cốc Lùng, đường xa và dốc, các đoàn thể "
         "chia nhau mang quà đến từng nhà."],
        month=1,
    ),
    Story(
        "van-hoa-xa-hoi", "Giải bóng chuyền hơi các thôn: Nà Mò lần đầu vô địch",
        "Mười bốn đội nam, nữ tranh tài trong năm ngày trên sân nhà văn hóa xã.",
        ["Giải bóng chuyền hơi năm {nam} quy tụ mười bốn đội bóng nam, nữ đến từ các thôn.",
         "Trận chung kết nam kéo dài năm hiệp; đội thôn Nà Mò thắng Trung Tâm 3–2 và lần đầu "
         "giành cúp.",
         "Ở nội dung nữ, đội Đông Chè bảo vệ thành công ngôi vô địch. Ban tổ chức trao thêm giải "
         "phong cách cho đội Tà Phìn, đội có cầu thủ nhỏ tuổi nhất mới 15 tuổi.",
         "Hàng trăm cổ động viên thôn Nà Mò đi xe máy gần 20 km đường núi xuống cổ vũ trận "
         "chung kết."],
        month=9, scene="san-bong",
        caption="Trận chung kết bóng chuyền hơi nam trên sân nhà văn hóa xã",
    ),
    Story(
        "van-hoa-xa-hoi", "Thôn Phiêng Lá khánh thành nhà văn hóa mới",
        "Nhà rộng 150 m², kinh phí gần 900 triệu đồng; bà con hiến 400 m² đất và góp hơn 600 "
        "ngày công.",
        ["Thôn Phiêng Lá tổ chức lễ khánh thành nhà văn hóa thôn vào sáng {ngay}.",
         "Công trình có hội trường 150 chỗ ngồi, sân khấu nhỏ và sân bê tông; ngân sách tỉnh hỗ "
         "trợ 650 triệu đồng, phần còn lại do nhân dân đóng góp.",
         "Từ nay thôn có nơi họp, sinh hoạt câu lạc bộ và tổ chức lớp học xóa mù chữ cho phụ "
         "nữ lớn tuổi vào buổi tối."],
        month=11, scene="nha-van-hoa",
        caption="Nhà văn hóa mới của thôn Phiêng Lá trong ngày khánh thành",
    ),
    Story(
        "van-hoa-xa-hoi", "Câu lạc bộ hát then, đàn tính mở lớp cho thiếu nhi trong hè",
        "Ba nghệ nhân dạy 35 em cách ôm đàn, giữ nhịp và những bài then cổ của người Tày.",
        ["Câu lạc bộ hát then, đàn tính xã mở lớp học hè cho 35 em thiếu nhi.",
         "Lớp học vào chiều thứ bảy và chủ nhật; ba nghệ nhân ngoài bảy mươi tuổi dạy các em "
         "làm quen với cây đàn tính làm từ quả bầu khô.",
         "Cuối khóa, các em sẽ biểu diễn trong đêm văn nghệ mừng ngày Quốc khánh 2 tháng 9."],
        month=6,
    ),
    Story(
        "van-hoa-xa-hoi", "Chi trả trợ cấp xã hội qua tài khoản cho hơn 900 người",
        "Người không có tài khoản vẫn nhận tiền mặt tại điểm chi trả thôn; người ốm yếu được "
        "nhân viên bưu điện đưa tiền tận nhà.",
        ["Từ đầu năm, trợ cấp cho người cao tuổi, người khuyết tật và các đối tượng bảo trợ xã "
         "hội được chuyển thẳng vào tài khoản ngân hàng.",
         "Đến nay 612 trong số 934 người hưởng đã mở tài khoản; số còn lại tiếp tục nhận tiền "
         "mặt tại nhà văn hóa các thôn vào ngày 10 hằng tháng; người ốm yếu không phải đi "
         "đường xa.",
         "Công chức văn hóa – xã hội khuyên người nhận không đưa mã OTP cho bất kỳ ai, kể cả "
         "người tự xưng là cán bộ."],
        month=3,
    ),
    # --- Giáo dục – Y tế -----------------------------------------------------------------
    Story(
        "giao-duc-y-te", "Trường Tiểu học Hòa Sơn khai giảng năm học mới",
        "Trường có 612 học sinh ở điểm chính và ba điểm lẻ; 260 em ăn, ở bán trú.",
        ["Sáng {ngay}, Trường Tiểu học Hòa Sơn long trọng tổ chức lễ khai giảng năm học "
         "{nam}–{nam_sau}.",
         "Năm nay trường có 612 học sinh; điểm trường Khau Cưởm được sửa lại mái và có thêm "
         "phòng học tiếng Anh với máy chiếu.",
         "Hội Khuyến học xã trao 40 suất học bổng, mỗi suất một triệu đồng, cho các em học giỏi "
         "có hoàn cảnh khó khăn."],
        month=9, scene="truong-hoc",
        caption="Học sinh Trường Tiểu học Hòa Sơn xếp hàng trên sân trường ngày khai giảng",
        figure=("truong-hoc", "Dãy lớp học vừa được sửa mái ở điểm trường Khau Cưởm"),
    ),
    Story(
        "giao-duc-y-te", "Trạm Y tế xã tổ chức tiêm vắc xin sởi cho trẻ",
        "Trẻ từ 1 đến 5 tuổi chưa tiêm đủ mũi được tiêm miễn phí trong hai ngày.",
        ["Trạm Y tế xã tổ chức tiêm bổ sung vắc xin sởi – rubella cho trẻ từ 1 đến 5 tuổi.",
         {"table": [["Ngày", "Địa điểm", "Trẻ của thôn"],
                    ["Thứ ba", "Trạm Y tế xã", "Trung Tâm, Đông Chè, Suối Ngọt, Nà Khoang"],
                    ["Thứ tư", "Điểm tiếp nhận Tà Phìn", "Tà Phìn, Nà Mò, Khau Cưởm, Cốc Lùng"]]},
         "Cha mẹ mang theo sổ tiêm chủng hoặc mở ứng dụng sổ sức khỏe điện tử; trẻ đang sốt "
         "sẽ được hẹn tiêm lại sau."],
        month=4, scene="tram-y-te",
        caption="Các mẹ đưa con đến tiêm vắc xin tại Trạm Y tế xã",
    ),
    Story(
        "giao-duc-y-te", "Khám sức khỏe miễn phí cho 300 người cao tuổi",
        "Bác sĩ của bệnh viện tỉnh cùng Trạm Y tế xã đo huyết áp, xét nghiệm đường máu và cấp "
        "thuốc.",
        ["Nhân tháng hành động vì người cao tuổi, Trạm Y tế xã phối hợp với bệnh viện đa khoa "
         "tỉnh khám bệnh miễn phí cho 300 cụ.",
         "Gần một phần ba số người được khám có huyết áp cao; 28 cụ được phát hiện đái tháo "
         "đường và được lập hồ sơ theo dõi tại trạm.",
         "Các y sĩ hướng dẫn ăn nhạt, bỏ thuốc lào và đi bộ mỗi sáng nửa giờ."],
        month=10, scene="tram-y-te",
        caption="Bác sĩ đo huyết áp cho người cao tuổi tại Trạm Y tế xã",
    ),
    Story(
        "giao-duc-y-te", "Ra quân diệt lăng quăng phòng sốt xuất huyết",
        "Thanh niên và y tế thôn kiểm tra 1.300 hộ, lật úp vật chứa nước và phun hóa chất ở "
        "thôn có ca bệnh.",
        ["Sau khi thôn Suối Ngọt ghi nhận hai ca sốt xuất huyết, xã mở chiến dịch diệt lăng "
         "quăng trong một tuần.",
         {"list": ["Đậy kín chum, vại, bể chứa nước", "Thả cá vào bể lớn",
                   "Thu gom lốp xe, vỏ chai, gáo dừa quanh nhà", "Ngủ màn cả ban ngày"]},
         "Người sốt cao liên tục, chảy máu chân răng hay nổi chấm đỏ dưới da phải đến trạm y tế "
         "ngay, không tự truyền dịch ở nhà."],
        month=8,
    ),
    Story(
        "giao-duc-y-te", "Trường Mầm non nhận phòng học mới ở trụ sở xã Đồng Lâm cũ",
        "Hai phòng học được cải tạo từ phòng làm việc cũ, đón 48 cháu của các thôn phía đông.",
        ["Trường Mầm non Hòa Sơn đưa vào sử dụng hai phòng học tại trụ sở xã Đồng Lâm cũ.",
         "Các phòng được lát lại nền, lắp quạt, bồn rửa tay và khu vệ sinh vừa tầm các cháu; "
         "sân trước được trải cỏ nhân tạo làm chỗ chơi.",
         "Phụ huynh thôn Đồng Lâm không còn phải đưa con đi gần mười cây số mỗi ngày đến điểm "
         "trường chính."],
        month=11, scene="truong-hoc",
        caption="Lớp học mẫu giáo trong trụ sở xã Đồng Lâm cũ được cải tạo",
    ),
    Story(
        "giao-duc-y-te", "Học sinh Trường THCS Hòa Sơn đoạt ba giải học sinh giỏi cấp tỉnh",
        "Một giải nhì môn Ngữ văn, hai giải khuyến khích môn Toán và Tiếng Anh.",
        ["Tại kỳ thi học sinh giỏi lớp 9 cấp tỉnh, Trường THCS Hòa Sơn có ba em đoạt giải.",
         "Em Hoàng Thu Trang, con một gia đình làm chè ở Đông Chè, giành giải nhì môn Ngữ văn "
         "với bài nghị luận về tình làng nghĩa xóm.",
         "Thầy hiệu trưởng cho biết nhà trường duy trì lớp bồi dưỡng buổi tối ngay tại khu bán "
         "trú, để học sinh ở xa không phải đi lại."],
        month=3,
    ),
    # --- Cải cách hành chính -------------------------------------------------------------
    Story(
        "cai-cach-hanh-chinh", "Trung tâm Phục vụ hành chính công xã trả 98% hồ sơ đúng hạn",
        "Trong quý, trung tâm tiếp nhận 2.360 hồ sơ, hơn sáu phần mười nộp trực tuyến.",
        ["Trung tâm Phục vụ hành chính công xã Hòa Sơn vừa báo cáo kết quả cải cách hành "
         "chính của quý.",
         {"table": [["Lĩnh vực", "Hồ sơ", "Đúng hạn"],
                    ["Hộ tịch", "1.120", "100%"],
                    ["Chứng thực", "780", "99%"],
                    ["Đất đai", "310", "91%"],
                    ["Khác", "150", "97%"]]},
         "Hồ sơ đất đai trễ hạn chủ yếu do phải đo đạc lại ranh giới giữa các thôn thuộc ba xã "
         "cũ; trung tâm đã gửi thư xin lỗi đến từng người."],
        month=4, scene="mot-cua",
        caption="Công chức hướng dẫn người dân tại quầy Trung tâm Phục vụ hành chính công xã",
    ),
    Story(
        "cai-cach-hanh-chinh", "Đăng ký khai sinh cho con ngay trên điện thoại",
        "Một hồ sơ liên thông giúp cha mẹ làm khai sinh, thường trú và thẻ bảo hiểm y tế cho trẻ "
        "dưới 6 tuổi.",
        ["Cha mẹ ở xã Hòa Sơn có thể làm thủ tục khai sinh cho con mà không cần đến trụ sở.",
         {"heading": "Các bước thực hiện"},
         {"list": ["Đăng nhập Cổng Dịch vụ công quốc gia bằng tài khoản định danh điện tử mức 2",
                   "Chọn nhóm thủ tục liên thông khai sinh – thường trú – bảo hiểm y tế",
                   "Chụp giấy chứng sinh và điền thông tin theo mẫu",
                   "Nhận giấy khai sinh qua bưu điện hoặc tại Trung tâm Phục vụ hành chính công"]},
         "Nếu gặp khó, người dân gọi số 0209 3 812 350 để công chức tư pháp – hộ tịch hướng dẫn "
         "từng bước."],
        month=5,
    ),
    Story(
        "cai-cach-hanh-chinh", "Tổ công nghệ số cộng đồng đến từng nhà ở Khau Cưởm",
        "Đoàn viên thanh niên giúp 230 người kích hoạt tài khoản định danh điện tử và cài ứng "
        "dụng ngân hàng.",
        ["Tổ công nghệ số cộng đồng thôn Khau Cưởm gồm trưởng thôn, công an viên và bốn đoàn "
         "viên thanh niên.",
         "Tối nào tổ cũng đi vài nhà, hướng dẫn bà con chụp ảnh giấy tờ, đặt mật khẩu và nhận "
         "biết tin nhắn lừa đảo.",
         "Nhờ vậy đã có 230 người dân tộc Dao trong thôn dùng được dịch vụ công trực tuyến, "
         "nhiều người lần đầu tự nộp hồ sơ xin cấp bản sao giấy khai sinh."],
        month=10,
    ),
    Story(
        "cai-cach-hanh-chinh", "Công khai 114 thủ tục hành chính thuộc thẩm quyền cấp xã",
        "Danh mục được niêm yết tại trụ sở, điểm tiếp nhận Tà Phìn và đăng trên cổng thông tin "
        "xã.",
        ["Thực hiện quyết định của UBND tỉnh, UBND xã công khai 114 thủ tục hành chính do cấp xã "
         "giải quyết theo mô hình chính quyền địa phương hai cấp.",
         "Nhiều thủ tục trước đây phải lên cấp trên nay giải quyết ngay tại xã, như cấp giấy "
         "phép xây dựng nhà ở riêng lẻ và đăng ký hộ kinh doanh.",
         "Mỗi thủ tục ghi rõ giấy tờ cần nộp, thời hạn, phí, lệ phí; người dân gặp phiền hà có "
         "thể báo qua đường dây nóng của Chủ tịch UBND xã."],
        month=8,
    ),
    Story(
        "cai-cach-hanh-chinh", "Chỉ số hài lòng của người dân đạt 92,6%",
        "Phiếu khảo sát được phát tại quầy và gửi qua tin nhắn; người dân phàn nàn nhiều nhất về "
        "thời gian chờ hồ sơ đất đai.",
        ["Kết quả khảo sát sáu tháng cho thấy 92,6% người đến làm thủ tục hài lòng với thái độ và "
         "kết quả giải quyết.",
         "Gần năm trăm người trả lời phiếu; ý kiến chưa hài lòng tập trung vào thời gian chờ hồ "
         "sơ đất đai và chỗ để xe chật ở trụ sở.",
         "UBND xã đã mở thêm bãi xe phía sau hội trường và giao mỗi công chức địa chính theo dõi "
         "riêng một nhóm thôn."],
        month=7,
    ),
    # --- Quốc phòng – An ninh ------------------------------------------------------------
    Story(
        "quoc-phong-an-ninh", "Diễn tập ứng phó lũ quét và sạt lở đất ở thôn Lũng Vài",
        "Gần 200 người tham gia sơ tán dân, cứu người bị nạn và cấp cứu ban đầu.",
        ["Ban Chỉ huy Quân sự xã chủ trì buổi diễn tập phòng chống thiên tai tại thôn Lũng Vài, "
         "nơi từng bị lũ quét năm 2024.",
         "Tình huống giả định: mưa lớn kéo dài, nước suối dâng nhanh, một điểm sạt lở vùi hai "
         "ngôi nhà và bốn người mắc kẹt.",
         "Dân quân, công an, y tế và thanh niên tình nguyện dùng xuồng máy, dây cứu sinh đưa "
         "người ra khỏi vùng nước; 36 hộ được sơ tán theo đường lên đồi về nhà văn hóa thôn "
         "trong 40 phút.",
         "Đánh giá buổi diễn tập, Chủ tịch UBND xã yêu cầu các thôn rà lại danh sách hộ ở sát "
         "chân đồi và cử người trực loa trong mùa mưa."],
        month=6, scene="dien-tap-lu",
        caption="Dân quân dùng xuồng đưa người ra khỏi vùng nước trong buổi diễn tập ứng phó lũ",
        figure=("dien-tap-lu", "Lực lượng cứu nạn mặc áo phao chờ lệnh bên bờ suối Lũng Vài"),
    ),
    Story(
        "quoc-phong-an-ninh", "Lễ giao quân: 23 thanh niên lên đường nhập ngũ",
        "Các tân binh đều có sức khỏe loại 1 và 2; sáu em đã tốt nghiệp trung cấp nghề.",
        ["Sáng {ngay}, xã tổ chức lễ tiễn 23 thanh niên lên đường thực hiện nghĩa vụ quân sự.",
         "Nhiều gia đình từ các thôn xa như Nặm Dất, Cốc Lùng đã xuống trung tâm xã từ tối hôm "
         "trước để kịp tiễn con.",
         {"quote": "Con sẽ cố gắng rèn luyện, sau này về xây lại cái nhà cho bố mẹ.",
          "by": "tân binh Triệu Văn Khang, thôn Nặm Dất"}],
        month=2,
    ),
    Story(
        "quoc-phong-an-ninh", "Công an xã cảnh báo thủ đoạn giả danh cán bộ gọi điện",
        "Kẻ gian tự xưng cán bộ xã, đề nghị \"cập nhật định danh\" qua đường link rồi chiếm tài "
        "khoản ngân hàng.",
        ["Công an xã vừa tiếp nhận tin báo của ba người dân bị gọi điện hướng dẫn cập nhật tài "
         "khoản định danh qua một trang web giả.",
         {"list": ["Cán bộ xã không bao giờ đề nghị cài ứng dụng qua đường link",
                   "Không đọc mã OTP cho bất kỳ ai",
                   "Khi nghi ngờ, gọi ngay Công an xã: 0209 3 812 113"]},
         "Một người ở thôn Bản Mòng đã kịp báo ngân hàng khóa tài khoản trước khi bị chuyển mất "
         "tiền."],
        month=5,
    ),
    Story(
        "quoc-phong-an-ninh", "Dân quân xã hoàn thành huấn luyện năm {nam}",
        "Trung đội dân quân cơ động đạt loại giỏi; nội dung cứu nạn trên sông suối được tăng thời "
        "lượng.",
        ["Sau ba tuần huấn luyện, 96 chiến sĩ dân quân của xã kiểm tra đạt yêu cầu, trong đó "
         "trung đội cơ động đạt loại giỏi.",
         "Năm nay nội dung bơi cứu đuối, buộc dây qua suối và sơ cứu người bị thương được dành "
         "gấp đôi thời gian so với trước.",
         "Ban Chỉ huy Quân sự xã đề xuất trang bị thêm hai xuồng và ba mươi áo phao cho các thôn "
         "ven suối."],
        month=4,
    ),
    Story(
        "quoc-phong-an-ninh", "Lắp camera an ninh ở cầu treo và ngã ba các thôn",
        "Mười tám camera do bà con góp tiền lắp đặt, hình ảnh được lưu tại Công an xã.",
        ["Các thôn Trung Tâm, Suối Ngọt và Pác Ngòi vừa đưa vào sử dụng 18 camera an ninh.",
         "Mỗi hộ góp 50.000 đồng, một doanh nghiệp viễn thông hỗ trợ đường truyền miễn phí năm "
         "đầu.",
         "Từ khi có camera, chưa có vụ mất trộm gia súc nào ở ba thôn; hình ảnh còn giúp tìm ra "
         "xe máy gây tai nạn rồi bỏ chạy ở dốc Pác Ngòi."],
        month=9, scene="duong-thon",
        caption="Camera an ninh lắp ở ngã ba đường vào thôn Pác Ngòi",
    ),
    # --- Thông báo -----------------------------------------------------------------------
    Story(
        "thong-bao", "Lịch tiếp công dân định kỳ của Chủ tịch UBND xã",
        "Chủ tịch UBND xã tiếp công dân sáng thứ năm tuần thứ hai và tuần thứ tư hằng tháng.",
        ["Thực hiện Thông báo số 08/TB-UBND, UBND xã Hòa Sơn thông báo lịch tiếp công dân:",
         {"table": [["Thời gian", "Người tiếp", "Địa điểm"],
                    ["Sáng thứ năm tuần 2", "Chủ tịch UBND xã", "Phòng tiếp công dân, trụ sở xã"],
                    ["Sáng thứ năm tuần 4", "Chủ tịch UBND xã", "Điểm tiếp nhận Tà Phìn"],
                    ["Các ngày làm việc", "Công chức tiếp công dân", "Trụ sở xã"]]},
         "Công dân mang theo căn cước và giấy tờ liên quan; người đại diện cho nhiều người cần "
         "có giấy ủy quyền."],
        month=1,
    ),
    Story(
        "thong-bao", "Tạm ngừng cấp điện khu vực Trung Tâm và Suối Ngọt",
        "Điện lực thay cột và dây dẫn trên tuyến trung thế; thời gian dự kiến từ 7 giờ đến "
        "16 giờ ngày {ngay_sau}.",
        ["Điện lực khu vực thông báo tạm ngừng cấp điện để thay cột, dây dẫn trên tuyến trung "
         "thế dọc đường liên thôn qua Trung Tâm và Suối Ngọt, từ 7 giờ đến 16 giờ ngày "
         "{ngay_sau}.",
         "Trong thời gian thi công, bà con không đến gần khu vực có rào chắn và chủ động bảo "
         "quản thực phẩm, nước uống.",
         "Trạm Y tế xã và trường học đã được bố trí máy phát điện dự phòng."],
        month=None,
    ),
    Story(
        "thong-bao", "Thông báo lịch thu gom rác mới ở các thôn",
        "Xe thu gom chạy sáng thứ ba và thứ bảy ở trung tâm xã; các thôn xa tập kết rác đã phân "
        "loại tại điểm quy định.",
        ["Từ đầu tháng tới, lịch thu gom rác thải sinh hoạt trên địa bàn xã như sau:",
         {"list": ["Trung Tâm, Đông Chè, Suối Ngọt: sáng thứ ba và sáng thứ bảy",
                   "Nà Khoang, Bản Mòng, Pác Ngòi: chiều thứ tư",
                   "Các thôn vùng cao: xử lý rác hữu cơ tại hộ, rác khó phân hủy mang ra điểm tập "
                   "kết đầu thôn"]},
         "Hộ đổ rác xuống suối, ven đường sẽ bị nhắc nhở trên loa truyền thanh và xử phạt nếu "
         "tái phạm."],
        month=10,
    ),
    Story(
        "thong-bao", "Tuyển chọn nhân viên y tế thôn cho Nặm Dất và Cốc Lùng",
        "Ứng viên đang sống tại thôn, tốt nghiệp trung học phổ thông, ưu tiên người biết tiếng "
        "Dao.",
        ["UBND xã cần chọn hai nhân viên y tế thôn cho các thôn Nặm Dất và Cốc Lùng.",
         "Hồ sơ gồm đơn, sơ yếu lý lịch và bản sao bằng tốt nghiệp, nộp tại Trung tâm Phục vụ "
         "hành chính công xã trước ngày {ngay_sau}.",
         "Người được chọn sẽ được học sáu tháng tại trường cao đẳng y tế của tỉnh và nhận phụ "
         "cấp hằng tháng."],
        month=None,
    ),
    Story(
        "thong-bao", "Kế hoạch cấp đổi giấy chứng nhận quyền sử dụng đất theo thôn",
        "Theo Kế hoạch số 12/KH-UBND, đoàn công tác làm việc tại nhà văn hóa từng thôn, bắt đầu "
        "từ Tà Phìn.",
        ["Thực hiện Kế hoạch số 12/KH-UBND của UBND xã, đoàn cấp đổi giấy chứng nhận quyền sử "
         "dụng đất sẽ làm việc lần lượt tại nhà văn hóa các thôn.",
         "Bà con mang theo giấy chứng nhận cũ, căn cước của các thành viên có tên trên giấy và "
         "biên lai nộp thuế đất nếu có.",
         "Lịch cụ thể của từng thôn được trưởng thôn thông báo trên loa và dán tại nhà văn hóa "
         "trước ba ngày."],
        month=3,
    ),
]

# Articles readers must not see: a draft, one awaiting review, two scheduled and one expired.
HIDDEN_STORIES = [
    Story(
        "kinh-te-nong-nghiep", "Bản tin giá nông sản tuần này",
        "Giá chè búp tươi, ngô hạt và lợn hơi tại các điểm thu mua trong xã.",
        ["Giá chè búp tươi loại một tại hợp tác xã Đông Chè giữ ở mức 11.000 đồng một "
         "kilôgam.",
         "Ngô hạt khô được thương lái mua tại nhà với giá từ 6.800 đến 7.200 đồng; giá lợn hơi "
         "nhích nhẹ sau đợt rét."],
    ),
    Story(
        "van-hoa-xa-hoi", "Đội văn nghệ thôn Bản Chang tập luyện cho hội diễn",
        "Hai mươi diễn viên không chuyên tập múa khăn và hát sli mỗi tối sau giờ làm đồng.",
        ["Tối nào sân nhà văn hóa Bản Chang cũng sáng đèn: đội văn nghệ thôn đang dựng tiết mục "
         "múa khăn và hát sli đối đáp.",
         "Trang phục do chị em trong đội tự may từ vải chàm nhuộm ở nhà."],
    ),
    Story(
        "thong-bao", "Thông báo lịch tiêm phòng dại cho chó, mèo",
        "Thú y viên các thôn tiêm phòng dại miễn phí trong hai tuần; hộ nuôi chó phải xích hoặc "
        "nhốt trong thời gian tiêm.",
        ["Thú y viên sẽ đến từng thôn tiêm vắc xin phòng bệnh dại cho chó, mèo.",
         "Chủ vật nuôi giữ chó bằng xích hoặc rọ mõm khi đưa đến điểm tiêm."],
    ),
    Story(
        "tin-hoat-dong", "Hội nghị triển khai nhiệm vụ năm mới của UBND xã",
        "UBND xã giao chỉ tiêu cho từng thôn về thu ngân sách, trồng rừng và giảm nghèo.",
        ["UBND xã tổ chức hội nghị giao chỉ tiêu kinh tế – xã hội cho trưởng các thôn.",
         "Mỗi thôn ký cam kết về trồng rừng, thu gom rác và vận động trẻ ra lớp đúng tuổi."],
    ),
    Story(
        "thong-bao", "Thông báo nghỉ làm việc dịp lễ",
        "Trụ sở xã nghỉ theo lịch chung; Trung tâm Phục vụ hành chính công vẫn trực nhận hồ sơ "
        "khai tử.",
        ["Cán bộ, công chức xã nghỉ lễ theo quy định của Nhà nước.",
         "Trong những ngày nghỉ, một công chức tư pháp trực để đăng ký khai tử khi gia đình cần."],
    ),
]

PAGES = [
    ("Giới thiệu", "gioi-thieu", "vi", """
<h2>Vị trí địa lý</h2>
<p>Xã Hòa Sơn nằm ở phía bắc tỉnh Lâm Vân, cách trung tâm tỉnh 64 km theo quốc lộ. Phía đông
giáp xã Bắc Lâm, phía tây giáp xã Phìn Hồ, phía nam giáp phường Núi Xanh, phía bắc giáp tỉnh
Cao Nguyên. Tổng diện tích tự nhiên 142,6 km², trong đó đất rừng chiếm hơn 70%.</p>
<h2>Quá trình hình thành</h2>
<p>Xã Hòa Sơn hiện nay được thành lập từ ngày 1 tháng 7 năm 2025 trên cơ sở nhập ba xã Hòa
Sơn, Đồng Lâm và Tà Phìn cũ, khi cả nước tổ chức chính quyền địa phương hai cấp (tỉnh và xã,
phường). Trụ sở Đảng ủy, HĐND và UBND xã đặt tại thôn Trung Tâm.</p>
<h2>Dân số và đơn vị hành chính</h2>
<p>Xã có 16 thôn với khoảng 3.900 hộ, 16.800 nhân khẩu; đồng bào Tày, Nùng, Dao và Kinh cùng
sinh sống. Kinh tế chính là trồng lúa, ngô, chè, quế và chăn nuôi đại gia súc.</p>
<h2>Chức năng, nhiệm vụ</h2>
<p>Ủy ban nhân dân xã là cơ quan hành chính nhà nước ở địa phương, chịu trách nhiệm trước Hội
đồng nhân dân xã và Ủy ban nhân dân tỉnh; tổ chức thi hành Hiến pháp, pháp luật và nghị quyết
của Hội đồng nhân dân xã; quản lý nhà nước về kinh tế, văn hóa, xã hội, quốc phòng, an ninh
trên địa bàn.</p>
<ul>
<li>Xây dựng và tổ chức thực hiện kế hoạch phát triển kinh tế – xã hội, dự toán ngân sách
hằng năm;</li>
<li>Giải quyết thủ tục hành chính cho người dân, doanh nghiệp tại Trung tâm Phục vụ hành chính
công xã và trên Cổng Dịch vụ công;</li>
<li>Quản lý đất đai, tài nguyên, bảo vệ môi trường và phòng, chống thiên tai;</li>
<li>Tổ chức thực hiện các chính sách an sinh xã hội, giáo dục, y tế, văn hóa, thể thao;</li>
<li>Bảo đảm an ninh chính trị, trật tự, an toàn xã hội; xây dựng lực lượng dân quân.</li>
</ul>
<h2>Giờ làm việc</h2>
<p>Sáng 7:30–11:30, chiều 13:30–17:00, từ thứ hai đến thứ sáu. Trung tâm Phục vụ hành chính
công làm việc thêm sáng thứ bảy.</p>
<p><em>Nội dung trên trang này là dữ liệu minh họa.</em></p>
"""),
    ("Cơ cấu tổ chức", "co-cau-to-chuc", "vi", """
<p>Bộ máy của xã Hòa Sơn gồm Đảng ủy xã, Hội đồng nhân dân xã (cơ quan quyền lực nhà nước ở
địa phương, do cử tri bầu ra), Ủy ban nhân dân xã (cơ quan hành chính nhà nước, do Hội đồng nhân
dân bầu) và Ủy ban Mặt trận Tổ quốc xã cùng các đoàn thể. Giúp việc Ủy ban nhân dân xã có Văn
phòng HĐND và UBND, Phòng Kinh tế, Phòng Văn hóa – Xã hội và Trung tâm Phục vụ hành chính
công; Công an xã và Ban Chỉ huy Quân sự xã bảo đảm an ninh, quốc phòng.</p>
<p>Người dân có thể liên hệ trực tiếp với lãnh đạo và cán bộ theo danh sách dưới đây trong giờ
hành chính.</p>
"""),
    ("Liên hệ", "lien-he", "vi", """
<p><strong>Ủy ban nhân dân xã Hòa Sơn</strong></p>
<p>Địa chỉ: Thôn Trung Tâm, xã Hòa Sơn, tỉnh Lâm Vân</p>
<p>Điện thoại: 0209 3 812 345 – Fax: 0209 3 812 346 – Email: ubnd@hoason.example</p>
<h2>Trung tâm Phục vụ hành chính công xã</h2>
<p>Tầng 1, trụ sở UBND xã. Điện thoại: 0209 3 812 350. Làm việc sáng 7:30–11:30, chiều
13:30–17:00 từ thứ hai đến thứ sáu, sáng thứ bảy 7:30–11:00. Điểm tiếp nhận Tà Phìn (trụ sở
xã Tà Phìn cũ) làm việc cùng giờ, trừ thứ bảy.</p>
<h2>Đường dây nóng</h2>
<ul>
<li>Chủ tịch UBND xã: 0209 3 812 300</li>
<li>Công an xã: 0209 3 812 113</li>
<li>Phòng, chống thiên tai, cháy rừng: 0209 3 812 320</li>
</ul>
<h2>Góp ý cho Cổng thông tin</h2>
<p>Mọi góp ý về nội dung xin gửi về hộp thư ubnd@hoason.example hoặc gặp trực tiếp Văn phòng
HĐND và UBND xã.</p>
<p><em>Nội dung trên trang này là dữ liệu minh họa.</em></p>
"""),
    ("Contact (English)", "contact", "en", """
<p><strong>People's Committee of Hoa Son Commune</strong><br>Lam Van Province, Viet Nam</p>
<h2>About the commune</h2>
<p>Hoa Son is a mountain commune of 16 hamlets, about 3,900 households and 16,800 people of the
Tay, Nung, Dao and Kinh peoples. It was formed on 1 July 2025 by merging three former communes,
when Viet Nam moved to two levels of local government (provinces, and communes or wards).
Its economy rests on rice, maize, tea, cinnamon and cattle.</p>
<h2>Organisation</h2>
<p>The People's Council is the local body elected by voters; the People's Committee, elected by
the Council, is the local administration, answering to the Council and to the provincial
People's Committee. Its office, two departments, the public administration service centre,
the commune police and the military unit assist the Committee.</p>
<h2>Contacts</h2>
<p>Address: Trung Tam hamlet, Hoa Son commune, Lam Van province, Viet Nam</p>
<p>Phone: +84 209 3 812 345 – Fax: +84 209 3 812 346 – Email: ubnd@hoason.example</p>
<p>Office hours: 7:30–11:30 and 13:30–17:00, Monday to Friday (the service centre also on
Saturday morning).</p>
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
    ("06/{nam}/NQ-HĐND", "Nghị quyết",
     "Nghị quyết về danh mục công trình đường bê tông liên thôn giai đoạn {nam}–{nam2}",
     "HĐND xã Hòa Sơn", "Hoàng Văn Lợi", "Giao thông – Xây dựng", 35, 10, None),
    ("12/KH-UBND", "Kế hoạch",
     "Kế hoạch cấp đổi giấy chứng nhận quyền sử dụng đất tại các thôn năm {nam}",
     "UBND xã Hòa Sơn", "Lục Văn Thành", "Đất đai", 60, 0, 45),
    ("08/TB-UBND", "Thông báo",
     "Thông báo lịch tiếp công dân định kỳ của Chủ tịch UBND xã năm {nam}",
     "UBND xã Hòa Sơn", "Nông Văn Quyết", "Tiếp công dân", 90, 0, None),
    ("215/UBND-KT", "Công văn",
     "Công văn về việc tiêm phòng bệnh lở mồm long móng cho đàn trâu, bò",
     "UBND xã Hòa Sơn", "Đàm Thị Hương", "Nông nghiệp", 120, 0, None),
    ("03/CT-UBND", "Chỉ thị",
     "Chỉ thị về tăng cường phòng cháy, chữa cháy rừng mùa khô",
     "UBND xã Hòa Sơn", "Nông Văn Quyết", "Quốc phòng – An ninh", 150, 0, 120),
    ("27/BC-UBND", "Báo cáo",
     "Báo cáo kết quả giải quyết thủ tục hành chính tại Trung tâm Phục vụ hành chính công xã "
     "sáu tháng đầu năm {nam}",
     "UBND xã Hòa Sơn", "Lục Văn Thành", "Cải cách hành chính", 170, 0, None),
    ("88/QĐ-UBND", "Quyết định",
     "Quyết định phê duyệt danh sách hộ nghèo, hộ cận nghèo năm {nam} trên địa bàn xã",
     "UBND xã Hòa Sơn", "Nông Văn Quyết", "Văn hóa – Xã hội", 200, 0, 365),
    ("1935/QĐ-UBND", "Quyết định",
     "Quyết định công bố danh mục thủ tục hành chính thuộc thẩm quyền giải quyết của UBND cấp "
     "xã trên địa bàn tỉnh Lâm Vân",
     "UBND tỉnh Lâm Vân", "Đinh Công Tráng", "Cải cách hành chính", 240, 15, None),
    ("09/HD-UBND", "Hướng dẫn",
     "Hướng dẫn đăng ký khai sinh, khai tử trực tuyến trên Cổng Dịch vụ công quốc gia",
     "UBND xã Hòa Sơn", "Lục Văn Thành", "Tư pháp – Hộ tịch", 300, 0, None),
    ("02/{nam}/NQ-HĐND", "Nghị quyết",
     "Nghị quyết về dự toán thu, chi ngân sách xã năm {nam}",
     "HĐND xã Hòa Sơn", "Hoàng Văn Lợi", "Tài chính – Ngân sách", 400, 0, 60),
    ("31/KH-UBND", "Kế hoạch",
     "Kế hoạch tuyển sinh vào lớp 1 và lớp 6 năm học {nam}–{nam2}",
     "UBND xã Hòa Sơn", "Đàm Thị Hương", "Giáo dục", 450, 0, 120),
    ("14/QĐ-UBND", "Quyết định",
     "Quyết định thành lập Tổ công nghệ số cộng đồng các thôn",
     "UBND xã Hòa Sơn", "Nông Văn Quyết", "Khoa học – Công nghệ", 520, 0, None),
    ("07/TTr-UBND", "Tờ trình",
     "Tờ trình đề nghị hỗ trợ giống ngô, phân bón cho vụ Đông Xuân",
     "UBND xã Hòa Sơn", "Lục Văn Thành", "Nông nghiệp", 600, 0, None),
    ("52/QĐ-UBND", "Quyết định",
     "Quyết định ban hành Quy chế làm việc của Ủy ban nhân dân xã Hòa Sơn",
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
    ("Đàm Thị Hương", "Phó Chủ tịch UBND xã", "Vice Chairwoman of the People's Committee",
     "0209 3 812 302", "phochutich2@hoason.example"),
    ("Hà Thị Ngọc", "Chánh Văn phòng HĐND và UBND xã", "Head of the Commune Office",
     "0209 3 812 345", "vanphong@hoason.example"),
    ("Triệu Văn Minh", "Trưởng phòng Kinh tế", "Head of the Economic Department",
     "0209 3 812 340", "kinhte@hoason.example"),
    ("Ma Thị Thu", "Trưởng phòng Văn hóa – Xã hội", "Head of the Culture and Society Department",
     "0209 3 812 341", "vanhoa@hoason.example"),
    ("Vi Thị Lan", "Giám đốc Trung tâm Phục vụ hành chính công",
     "Director of the Public Administration Service Centre",
     "0209 3 812 350", "motcua@hoason.example"),
    ("Lương Văn Hải", "Trưởng Công an xã", "Chief of the Commune Police",
     "0209 3 812 113", "congan@hoason.example"),
    ("Bế Văn Cường", "Chỉ huy trưởng Ban Chỉ huy Quân sự xã",
     "Commander of the Commune Military Unit", "0209 3 812 320", "quansu@hoason.example"),
]  # fmt: skip
OFFICIALS_PAGES = ("co-cau-to-chuc", "contact")

# For `seed-demo --articles N`: headlines of the big site, per category; `{thon}` a hamlet,
# `{nam}` the year, `{so}` a small number, `{thang}` a month. The bodies reuse the stories'
# paragraphs of the same category, so the text is real Vietnamese news prose.
HEADLINES = {
    "tin-hoat-dong": (
        "HĐND xã giám sát việc thực hiện nghị quyết tại thôn {thon}",
        "Tổ đại biểu HĐND xã tiếp xúc cử tri thôn {thon}",
        "Chi bộ thôn {thon} sinh hoạt chuyên đề về phát triển kinh tế",
        "Ủy ban MTTQ xã khảo sát đời sống hộ nghèo thôn {thon}",
        "UBND xã làm việc với thôn {thon} về kế hoạch năm {nam}",
        "Hội nghị giao ban tháng {thang} của UBND xã Hòa Sơn",
    ),
    "kinh-te-nong-nghiep": (
        "Thôn {thon} làm {so} km đường bê tông nội đồng",
        "Nông dân thôn {thon} chuyển {so} ha ruộng cạn sang trồng ngô",
        "Mô hình nuôi bò vỗ béo ở thôn {thon} cho lãi khá",
        "Thôn {thon} trồng mới {so} ha rừng quế",
        "Giá chè búp tươi tháng {thang} năm {nam} tại thôn {thon}",
        "Hội Nông dân xã tập huấn kỹ thuật chăn nuôi cho thôn {thon}",
    ),
    "van-hoa-xa-hoi": (
        "Thôn {thon} tổ chức ngày hội đại đoàn kết năm {nam}",
        "Trao {so} suất quà cho hộ khó khăn thôn {thon}",
        "Đội văn nghệ thôn {thon} dự hội diễn của xã",
        "Thôn {thon} sửa chữa nhà văn hóa bằng sức dân",
        "Giải kéo co, đẩy gậy các thôn năm {nam}: thôn {thon} giành giải nhất",
        "Thăm hỏi người cao tuổi thôn {thon} nhân tháng {thang}",
    ),
    "giao-duc-y-te": (
        "Điểm trường thôn {thon} đón {so} học sinh mới",
        "Trạm Y tế xã khám bệnh lưu động tại thôn {thon}",
        "Tiêm chủng mở rộng tháng {thang} năm {nam} cho trẻ thôn {thon}",
        "Phụ huynh thôn {thon} góp công sửa bếp ăn bán trú",
        "Tuyên truyền phòng bệnh mùa mưa tại thôn {thon}",
        "Lớp xóa mù chữ cho phụ nữ thôn {thon} khai giảng",
    ),
    "cai-cach-hanh-chinh": (
        "Trung tâm Phục vụ hành chính công xã tiếp nhận {so} hồ sơ trong tháng {thang}",
        "Hướng dẫn người dân thôn {thon} nộp hồ sơ trực tuyến",
        "Tổ công nghệ số thôn {thon} hỗ trợ kích hoạt định danh điện tử",
        "Công khai kết quả giải quyết thủ tục hành chính tháng {thang} năm {nam}",
        "Cấp đổi giấy chứng nhận quyền sử dụng đất cho {so} hộ thôn {thon}",
        "Khảo sát sự hài lòng của người dân thôn {thon} về thủ tục hành chính",
    ),
    "quoc-phong-an-ninh": (
        "Dân quân thôn {thon} tuần tra bảo vệ rừng",
        "Công an xã tuyên truyền phòng chống lừa đảo tại thôn {thon}",
        "Diễn tập phòng chống thiên tai ở thôn {thon} năm {nam}",
        "Thôn {thon} ra mắt tổ bảo vệ an ninh trật tự cơ sở",
        "Khám tuyển nghĩa vụ quân sự cho {so} thanh niên",
        "Xử lý {so} trường hợp vi phạm an toàn giao thông trong tháng {thang}",
    ),
    "thong-bao": (
        "Thông báo lịch tiếp công dân tháng {thang} năm {nam}",
        "Thông báo tạm ngừng cấp điện khu vực thôn {thon}",
        "Thông báo lịch thu gom rác thải tại thôn {thon}",
        "Thông báo chi trả trợ cấp xã hội tháng {thang}",
        "Thông báo tuyển chọn cộng tác viên dân số thôn {thon}",
        "Thông báo lịch tiêm phòng cho gia súc tại thôn {thon}",
    ),
}


# --- Citizens' part ---------------------------------------------------------------------------


class DemoQuestion(NamedTuple):
    """A question a resident sent to "Hỏi đáp" and the commune's answer (empty: waiting)."""

    topic: str
    title: str
    body: str
    answer: str
    days_ago: int
    answerer: str = "Vi Thị Lan"


QUESTIONS = [
    DemoQuestion(
        "dat-dai", "Cấp đổi giấy chứng nhận quyền sử dụng đất bị rách cần giấy tờ gì?",
        "Giấy chứng nhận quyền sử dụng đất của gia đình tôi ở thôn Phiêng Lá bị rách một góc "
        "do ẩm mốc. Tôi muốn cấp đổi thì cần chuẩn bị giấy tờ gì và nộp ở đâu, mất bao lâu?",
        "<p>Ông (bà) nộp hồ sơ tại Trung tâm Phục vụ hành chính công xã, gồm:</p>"
        "<ul><li>Đơn đề nghị cấp đổi theo mẫu;</li><li>Bản gốc giấy chứng nhận đã cấp;</li>"
        "<li>Căn cước của người đứng tên.</li></ul>"
        "<p>Thời gian giải quyết không quá 7 ngày làm việc kể từ ngày nhận đủ hồ sơ. Ông (bà) "
        "cũng có thể nộp trực tuyến trên Cổng Dịch vụ công quốc gia.</p>",
        3,
    ),
    DemoQuestion(
        "ho-tich", "Đăng ký khai sinh cho con khi bố mẹ chưa đăng ký kết hôn",
        "Vợ chồng tôi ở thôn Nà Khoang chưa đăng ký kết hôn, nay cháu được 2 tháng tuổi. Xin "
        "hỏi có làm giấy khai sinh cho cháu được không và ghi tên bố thế nào?",
        "<p>Được. Người mẹ đăng ký khai sinh cho con tại Ủy ban nhân dân xã nơi cư trú. Nếu "
        "người cha muốn nhận con, hai người cùng có mặt để làm thủ tục đăng ký khai sinh kết "
        "hợp nhận cha, con; khi đó tên người cha được ghi vào giấy khai sinh.</p>"
        "<p>Giấy tờ cần mang: giấy chứng sinh của cơ sở y tế, căn cước của cha và mẹ.</p>",
        6,
    ),
    DemoQuestion(
        "chinh-sach", "Người cao tuổi 75 tuổi có được hưởng trợ cấp xã hội hằng tháng không?",
        "Mẹ tôi năm nay 76 tuổi, sống ở thôn Khuổi Tát, không có lương hưu. Xin hỏi bà có được "
        "hưởng trợ cấp hằng tháng không, làm thủ tục ở đâu?",
        "<p>Người từ đủ 75 tuổi trở lên không có lương hưu hoặc trợ cấp bảo hiểm xã hội hằng "
        "tháng được hưởng trợ cấp xã hội hằng tháng. Gia đình nộp tờ khai theo mẫu tại Trung "
        "tâm Phục vụ hành chính công xã; cán bộ chính sách sẽ hướng dẫn ngay khi nhận hồ sơ.</p>",
        12, "Ma Thị Thu",
    ),
    DemoQuestion(
        "xay-dung", "Làm nhà ở riêng lẻ ở thôn có phải xin giấy phép xây dựng không?",
        "Tôi định làm nhà hai tầng trên đất ở của gia đình tại thôn Bản Mòng. Có phải xin giấy "
        "phép xây dựng không?",
        "<p>Nhà ở riêng lẻ ở nông thôn không thuộc khu vực đã có quy hoạch chi tiết được miễn "
        "giấy phép xây dựng, nhưng vẫn phải bảo đảm chỉ giới xây dựng. Thôn Bản Mòng nằm trong "
        "khu vực quy hoạch trung tâm xã, nên ông (bà) cần xin giấy phép. Liên hệ Phòng Kinh tế "
        "xã để được hướng dẫn.</p>",
        20, "Triệu Văn Minh",
    ),
    DemoQuestion(
        "moi-truong", "Lịch thu gom rác ở thôn Trung Tâm",
        "Xe thu gom rác đi qua thôn Trung Tâm vào những ngày nào trong tuần?",
        "",
        1,
    ),
]

# The leaders' week: (weekday 0-6, time, what, where, who chairs, who attends).
SCHEDULE = [
    (0, "07h30", "Chào cờ đầu tuần, giao ban lãnh đạo Ủy ban nhân dân xã",
     "Hội trường UBND xã", "Nông Văn Quyết", "Lãnh đạo UBND xã, trưởng các phòng, ban"),
    (0, "14h00", "Làm việc với Hợp tác xã chè Đông Chè về tiêu thụ chè vụ đông",
     "Trụ sở Hợp tác xã", "Lục Văn Thành", "Phòng Kinh tế, Hợp tác xã chè Đông Chè"),
    (1, "08h00", "Kiểm tra tiến độ đường bê tông thôn Khuổi Tát – Bản Mòng",
     "Thôn Khuổi Tát", "Lục Văn Thành", "Phòng Kinh tế, Ban phát triển thôn"),
    (2, "Cả ngày", "Tiếp công dân định kỳ", "Trung tâm Phục vụ hành chính công xã",
     "Nông Văn Quyết", "Văn phòng HĐND và UBND xã, công chức địa chính"),
    (3, "08h00", "Họp Ban Chỉ đạo phòng, chống rét cho cây trồng, vật nuôi",
     "Phòng họp số 2", "Đàm Thị Hương", "Phòng Kinh tế, trưởng các thôn"),
    (3, "15h00", "Dự sinh hoạt chi bộ thôn Nà Khoang", "Nhà văn hóa thôn Nà Khoang",
     "Hoàng Văn Lợi", "Đảng ủy viên phụ trách thôn"),
    (4, "08h00", "Giao ban công an, quân sự xã về an ninh trật tự cuối năm",
     "Hội trường UBND xã", "Nông Văn Quyết", "Công an xã, Ban Chỉ huy Quân sự xã"),
    (4, "14h00", "Thăm hỏi gia đình chính sách thôn Phiêng Lá", "Thôn Phiêng Lá",
     "Đàm Thị Hương", "Phòng Văn hóa – Xã hội, Hội Cựu chiến binh xã"),
]  # fmt: skip

# A poll readers may answer: the question, its choices and the votes already cast.
POLL = (
    "Bà con mong xã ưu tiên làm việc nào trong năm 2027?",
    [("Bê tông hóa đường vào các thôn vùng cao", 41), ("Kéo điện lưới về thôn Cốc Lùng", 27),
     ("Sửa chữa nhà văn hóa các thôn", 12), ("Mở lớp dạy nghề cho thanh niên", 19)],
)  # fmt: skip

# A draft the commune asks residents about ("Góp ý dự thảo"), and comments already published.
DRAFT = {
    "number": "21/2026/NQ-HĐND",
    "title": "Dự thảo Nghị quyết quy định mức hỗ trợ làm đường giao thông nông thôn trên địa bàn "
             "xã Hòa Sơn giai đoạn 2027–2030",
    "doc_type": "Dự thảo nghị quyết",
    "issuer": "Hội đồng nhân dân xã Hòa Sơn",
    "field": "Giao thông",
}
DRAFT_COMMENTS = [
    "Đề nghị hỗ trợ thêm xi măng cho các thôn vùng cao như Cốc Lùng, Khau Cưởm vì đường dốc, "
    "vận chuyển vật liệu tốn kém hơn.",
    "Nên quy định rõ thôn tự làm thì được hỗ trợ trước 50% kinh phí để bà con có vốn mua vật "
    "liệu.",
]
