"""Documents built byte by byte, legit and hostile, for the attachment policy's tests and bench.

Nothing here comes from elsewhere: PDFs (classic or with object streams and filter chains),
Word/Excel 97-2003 compound files, Office Open XML and OpenDocument packages, and ZIPs whose
headers lie, overlap or nest, are all written by these functions.
"""

import base64
import io
import struct
import zipfile
import zlib

from PIL import Image

# --- PDF --------------------------------------------------------------------------------

ENCODERS = {
    "FlateDecode": zlib.compress,
    "ASCIIHexDecode": lambda data: data.hex().encode() + b">",
    "ASCII85Decode": lambda data: base64.a85encode(data) + b"~>",
}


def encode(content: bytes, filters: tuple[str, ...]) -> bytes:
    """Encode so that decoding with /Filter [filters...] in order gives `content` back."""
    for name in reversed(filters):
        content = ENCODERS[name](content)
    return content


def stream(content: bytes, dictionary: bytes = b"", filters: tuple[str, ...] = ()) -> bytes:
    """A PDF stream object's text, encoded through `filters`."""
    data = encode(content, filters)
    names = b"[" + b"".join(b"/" + name.encode() for name in filters) + b"]"
    listed = b"/Filter" + names if filters else b""
    return b"<<%s%s/Length %d>>stream\n%s\nendstream" % (dictionary, listed, len(data), data)


def pdf(objects: dict[int, bytes], packed: dict[int, bytes] | None = None,
        filters: tuple[str, ...] = ("FlateDecode",), root: int = 1,
        encoded: bytes | None = None) -> bytes:  # fmt: skip
    """A PDF of numbered objects; `packed` ones go into one object stream encoded by `filters`.

    Without packed objects the cross-reference is a classic table; with them, a cross-reference
    stream, as PDF 1.5 writers (Word, LibreOffice) make. `encoded` replaces the object
    stream's encoded bytes (a bomb, say).
    """
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in sorted(objects.items()):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    if not packed:
        return classic_xref(out, offsets, root)
    return xref_stream(out, offsets, packed, filters, root, encoded)


def classic_xref(out: io.BytesIO, offsets: dict[int, int], root: int) -> bytes:
    start, size = out.tell(), max(offsets) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for number in range(1, size):
        if number in offsets:
            out.write(b"%010d 00000 n \n" % offsets[number])
        else:
            out.write(b"0000000000 00000 f \n")
    out.write(b"trailer\n<</Size %d/Root %d 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (size, root, start))
    return out.getvalue()


def xref_stream(out, offsets, packed, filters, root, encoded=None) -> bytes:
    stream_number = max([*offsets, *packed]) + 1
    numbers = sorted(packed)
    header, parts, size = [], [], 0
    for number in numbers:
        header.append(b"%d %d" % (number, size))
        parts.append(packed[number] + b"\n")
        size += len(parts[-1])
    first, body = b" ".join(header) + b"\n", b"".join(parts)
    index = {number: position for position, number in enumerate(numbers)}
    offsets[stream_number] = out.tell()
    dictionary = b"/Type/ObjStm/N %d/First %d" % (len(numbers), len(first))
    object_stream = stream(first + body, dictionary, filters)
    if encoded is not None:
        object_stream = b"<<%s/Filter/FlateDecode/Length %d>>stream\n%s\nendstream" % (
            dictionary, len(encoded), encoded)
    out.write(b"%d 0 obj\n%s\nendobj\n" % (stream_number, object_stream))
    xref_number = stream_number + 1
    offsets[xref_number] = out.tell()
    rows = [struct.pack(">BIH", 0, 0, 0xFFFF)]
    for number in range(1, xref_number + 1):
        if number in offsets:
            rows.append(struct.pack(">BIH", 1, offsets[number], 0))
        elif number in packed:
            rows.append(struct.pack(">BIH", 2, stream_number, index[number]))
        else:
            rows.append(struct.pack(">BIH", 0, 0, 0))
    table = b"".join(rows)
    dictionary = b"/Type/XRef/Size %d/W[1 4 2]/Root %d 0 R" % (xref_number + 1, root)
    out.write(b"%d 0 obj\n%s\nendobj\n" % (xref_number, stream(table, dictionary)))
    out.write(b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number])
    return out.getvalue()


CATALOG = b"<</Type/Catalog/Pages 2 0 R%s>>"
PAGES = b"<</Type/Pages/Kids[3 0 R]/Count 1>>"
PAGE = b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R%s>>"
TEXT = stream(b"BT /F1 12 Tf 72 770 Td (Thong bao hop dan) Tj ET")


def one_page(catalog: bytes = b"", page: bytes = b"", extra: dict[int, bytes] | None = None,
             packed: dict[int, bytes] | None = None, filters=("FlateDecode",),
             encoded: bytes | None = None) -> bytes:  # fmt: skip
    """A one-page PDF: catalog 1, pages 2, page 3, content 4, then `extra` and `packed`."""
    objects = {1: CATALOG % catalog, 2: PAGES, 3: PAGE % page, 4: TEXT, **(extra or {})}
    return pdf(objects, packed, filters, encoded=encoded)


def scanned_pdf(pages: int = 1, size=(300, 400)) -> bytes:
    """A PDF as a scanner or Pillow writes it: one picture per page."""
    images = [Image.effect_noise(size, 40).convert("L") for _ in range(pages)]
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=100.0)
    return buffer.getvalue()


def report_pdf(pages: int = 3) -> bytes:
    """A text report as office suites export it: object streams, links, an outline."""
    objects, packed = {}, {}
    kids = b" ".join(b"%d 0 R" % (10 + 3 * n) for n in range(pages))
    packed[1] = b"<</Type/Catalog/Pages 2 0 R/Outlines 5 0 R/OpenAction[10 0 R/Fit]>>"
    packed[2] = b"<</Type/Pages/Kids[%s]/Count %d>>" % (kids, pages)
    packed[5] = b"<</Type/Outlines/Count 0>>"
    packed[6] = b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"
    for n in range(pages):
        page, content, link = 10 + 3 * n, 11 + 3 * n, 12 + 3 * n
        lines = b"".join(b"BT /F1 11 Tf 72 %d Td (Dong %d trang %d) Tj ET\n" % (780 - 14 * i, i, n)
                         for i in range(50))  # fmt: skip
        objects[content] = stream(lines, filters=("FlateDecode",))
        packed[page] = (b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents %d 0 R"
                        b"/Resources<</Font<</F1 6 0 R>>>>/Annots[%d 0 R]>>" % (content, link))
        packed[link] = (b"<</Type/Annot/Subtype/Link/Rect[72 72 200 90]"
                        b"/A<</S/URI/URI(https://hoason.gov.vn/van-ban)>>>>")  # fmt: skip
    return pdf(objects, packed)


def flate_bomb(size: int) -> bytes:
    """`size` zero bytes, deflated in pieces (the test never holds them inflated)."""
    packer = zlib.compressobj(9)
    piece = bytes(1024 * 1024)
    parts = [packer.compress(piece) for _ in range(size // len(piece))]
    return b"".join(parts) + packer.flush()


# --- Word and Excel 97-2003 (compound files) ------------------------------------------------

SECTOR = 512
END, FREE, FAT_SECTOR = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
NONE = 0xFFFFFFFF


def compound_file(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound file (version 3) holding `streams`, "Storage/Stream" paths allowed.

    Every stream is padded to 4,096 bytes so that all live in ordinary sectors (no mini
    stream); siblings are chained to the right, which readers accept as a tree.
    """
    tree: dict = {}
    for path, data in streams.items():
        node = tree
        *storages, name = path.split("/")
        for storage in storages:
            node = node.setdefault(storage, {})
        node[name] = data.ljust(4096, b"\x00")
    entries: list[dict] = []
    add_entry(entries, "Root Entry", tree, kind=5)
    data_sectors = sum(len(item["data"]) // SECTOR for item in entries)
    dir_sectors = -(-len(entries) * 128 // SECTOR)
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + dir_sectors + data_sectors:
        fat_sectors += 1
    fat = [FAT_SECTOR] * fat_sectors + chain(fat_sectors, dir_sectors)
    sector = fat_sectors + dir_sectors
    for item in entries:
        count = len(item["data"]) // SECTOR
        item["start"] = sector if count else END
        fat += chain(sector, count)
        sector += count
    fat += [FREE] * (fat_sectors * 128 - len(fat))
    directory = b"".join(directory_entry(item) for item in entries)
    body = struct.pack(f"<{len(fat)}I", *fat) + directory.ljust(dir_sectors * SECTOR, b"\x00")
    return compound_header(fat_sectors) + body + b"".join(item["data"] for item in entries)


def chain(start: int, count: int) -> list[int]:
    return [start + i + 1 for i in range(count - 1)] + [END] if count else []


def add_entry(entries: list[dict], name: str, node, kind: int) -> int:
    """Add a directory entry and, for a storage, its children chained as right siblings."""
    item = {"name": name, "kind": kind, "child": NONE, "right": NONE,
            "data": node if isinstance(node, bytes) else b""}  # fmt: skip
    entries.append(item)
    index = len(entries) - 1
    previous = None
    for child_name, child in (node.items() if isinstance(node, dict) else ()):
        child_index = add_entry(entries, child_name, child, 1 if isinstance(child, dict) else 2)
        if previous is None:
            item["child"] = child_index
        else:
            entries[previous]["right"] = child_index
        previous = child_index
    return index


def directory_entry(item: dict) -> bytes:
    encoded = item["name"].encode("utf-16-le") + b"\x00\x00"
    size = len(item["data"])
    return (encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), item["kind"], 1)
            + struct.pack("<III", NONE, item["right"], item["child"]) + b"\x00" * 36
            + struct.pack("<IQ", item["start"], size))  # fmt: skip


def compound_header(fat_sectors: int) -> bytes:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
    header += struct.pack("<IIIIIIIII", 0, fat_sectors, fat_sectors, 0, 4096, END, 0, END, 0)
    difat = list(range(fat_sectors)) + [FREE] * (109 - fat_sectors)
    return header + struct.pack("<109I", *difat)


def word_97(text: str = "Biên bản họp dân", extra: dict[str, bytes] | None = None,
            flags: int = 0) -> bytes:  # fmt: skip
    """A .doc: a WordDocument stream (its FIB's flags, then the text), and a 1Table stream."""
    fib = b"\xec\xa5" + b"\x00" * 8 + struct.pack("<H", flags) + b"\x00" * 20
    body = fib + text.encode("cp1258", "replace")
    return compound_file({"WordDocument": body, "1Table": b"\x00" * 64, **(extra or {})})


def biff_record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def excel_97(sheet_kinds=(0,), extra: dict[str, bytes] | None = None,
             encrypted: bool = False) -> bytes:  # fmt: skip
    """An .xls whose workbook globals list sheets of the given kinds (1: Excel 4.0 macros)."""
    records = biff_record(0x0809, struct.pack("<HH", 0x0600, 0x0005) + b"\x00" * 12)
    if encrypted:
        records += biff_record(0x002F, b"\x01\x00" + b"\x00" * 52)
    for number, kind in enumerate(sheet_kinds):
        name = f"Sheet{number + 1}".encode()
        records += biff_record(0x0085, struct.pack("<IBBBB", 0, 0, kind, len(name), 0) + name)
    records += biff_record(0x000A, b"")
    return compound_file({"Workbook": records, **(extra or {})})


# --- Office Open XML and OpenDocument -------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
MAIN_TYPES = {
    "docx": ("word/document.xml", "wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
    "pptx": ("ppt/presentation.xml", "presentationml.presentation.main+xml"),
}
MAIN_XML = {
    "docx": f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{{body}}</w:body></w:document>',
    "xlsx": ('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<sheets/>{body}</workbook>'),
    "pptx": ('<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/'
             'main">{body}</p:presentation>'),
}  # fmt: skip


def zip_of(members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as zipped:
        for name, data in members.items():
            zipped.writestr(name, data)
    return buffer.getvalue()


def relationships(*rows: tuple[str, str, str]) -> bytes:
    """A .rels part: (type, target, mode) rows, mode "External" or ""."""
    items = "".join(
        f'<Relationship Id="rId{n}" Type="{R}/{kind}" Target="{target}"'
        + (f' TargetMode="{mode}"' if mode else "") + "/>"
        for n, (kind, target, mode) in enumerate(rows, 1)
    )
    return f'<?xml version="1.0"?><Relationships xmlns="{PACKAGE}">{items}</Relationships>'.encode()


def content_types(main_part: str, main_type: str, extra: str = "") -> bytes:
    return (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{main_part}" ContentType="{main_type}"/>{extra}</Types>'
    ).encode()


def office(kind: str = "docx", body: str = "", parts: dict[str, bytes] | None = None,
           main_type: str | None = None, extra_types: str = "") -> bytes:  # fmt: skip
    """A .docx, .xlsx or .pptx package: content types, relationships, the main part, `parts`."""
    main_part, suffix = MAIN_TYPES[kind]
    default_type = f"application/vnd.openxmlformats-officedocument.{suffix}"
    members = {
        "[Content_Types].xml": content_types(main_part, main_type or default_type, extra_types),
        "_rels/.rels": relationships(("officeDocument", main_part, "")),
        main_part: MAIN_XML[kind].format(body=body).encode(),
    }
    return zip_of(members | (parts or {}))


def paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def complex_field(*instructions: str) -> str:
    """A Word field whose code is split over several runs, as Word itself often saves it."""
    runs = "".join(f'<w:r><w:instrText xml:space="preserve">{text}</w:instrText></w:r>'
                   for text in instructions)  # fmt: skip
    return (f'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>{runs}'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')  # fmt: skip


def odf(kind: str = "text", members: dict[str, bytes] | None = None, content: str = "") -> bytes:
    office_ns = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    xml = f'<office:document-content xmlns:office="{office_ns}">{content}</office:document-content>'
    base = {
        "mimetype": f"application/vnd.oasis.opendocument.{kind}".encode(),
        "content.xml": xml.encode(),
        "META-INF/manifest.xml": b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                                 b'opendocument:xmlns:manifest:1.0"/>',
    }  # fmt: skip
    return zip_of(base | (members or {}))


# --- ZIP headers written by hand: sizes that lie, entries that overlap ----------------------


def raw_zip(entries: list[dict]) -> bytes:
    """A ZIP from entries {name, data (as stored), method, crc, size, offset (optional)}.

    `size` is the inflated size the headers declare; `offset` makes a central entry point at
    another entry's local header, as overlapping zip bombs do.
    """
    out, central = io.BytesIO(), []
    placed = []
    for item in entries:
        if "offset" in item:
            placed.append(placed[item["offset"]])
            continue
        placed.append(out.tell())
        out.write(local_header(item) + item["data"])
    for item, offset in zip(entries, placed, strict=True):
        header = {**entries[item["offset"]], "name": item["name"]} if "offset" in item else item
        central.append(central_header(header, offset))
    start, central = out.tell(), b"".join(central)
    out.write(central)
    out.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries),
                          len(central), start, 0))  # fmt: skip
    return out.getvalue()


def local_header(item: dict) -> bytes:
    name = item["name"].encode()
    return struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, item["method"], 0, 0, item["crc"],
                       len(item["data"]), item["size"], len(name), 0) + name  # fmt: skip


def central_header(item: dict, offset: int) -> bytes:
    name = item["name"].encode()
    return struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, item["method"], 0, 0,
                       item["crc"], len(item["data"]), item["size"], len(name), 0, 0, 0, 0, 0,
                       offset) + name  # fmt: skip


def deflated(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def zero_entry(name: str, size: int, packed: bytes | None = None) -> dict:
    """An entry of `size` zero bytes, deflated (pass `packed` to reuse one deflation)."""
    if packed is None:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        piece = bytes(1024 * 1024)
        packed = b"".join(packer.compress(piece) for _ in range(size // len(piece)))
        packed += packer.compress(bytes(size % len(piece))) + packer.flush()
    crc = 0
    piece = bytes(1024 * 1024)
    for _ in range(size // len(piece)):
        crc = zlib.crc32(piece, crc)
    crc = zlib.crc32(bytes(size % len(piece)), crc)
    return {"name": name, "data": packed, "method": 8, "crc": crc, "size": size}
