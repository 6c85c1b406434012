"""Attachment checks benchmark: what refusing a crafted file, and accepting a legit one, costs.

Run: .venv/bin/python bench/attachments.py  (about a minute; writes nothing)

Every file is built in memory by tests/media/crafted_files.py, the builders the attack tests
use. For each it prints the verdict of `media.inspection.inspect_document` (the check every
attachment upload runs), the median wall-clock and CPU time of three runs (on a shared
machine the CPU time is the cost; the wall clock adds waiting for a core), and the peak
resident memory above the level before the check (Linux: VmHWM reset through
/proc/self/clear_refs).
"""

import gc
import os
import statistics
import sys
import time
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tests", "media"))

import crafted_files as crafted  # noqa: E402

from media import inspection  # noqa: E402

MB = 1024 * 1024
ZEROS = crafted.zero_entry("so-lieu.csv", 16 * MB)


def fan_out(levels: int) -> bytes:
    """16 members of 16 MB of zeros, then 16 copies of that archive, `levels` times."""
    data = crafted.raw_zip([{**ZEROS, "name": f"so-lieu-{n}.csv"} for n in range(16)])
    for _ in range(levels):
        data = crafted.zip_of({f"phan-{n}.zip": data for n in range(16)})
    return data


def self_nested(levels: int) -> bytes:
    data = crafted.zip_of({"ghi-chu.txt": b"x"})
    for _ in range(levels):
        data = crafted.zip_of({"ban-sao.zip": data, "ghi-chu.txt": b"x"})
    return data


def many_objects(count: int) -> bytes:
    return crafted.one_page(packed=dict.fromkeys(range(10, 10 + count), b"<<>>"))


def hostile() -> dict[str, bytes]:
    js = b"<</S/JavaScript/JS(app.alert(1))>>"
    lying = {**ZEROS, "name": "bao-cao.csv", "size": 100, "crc": zlib.crc32(bytes(100))}
    rows = [{"name": f"{n}.txt", "data": b"", "method": 0, "crc": 0, "size": 0}
            for n in range(60_000)]  # fmt: skip
    inner = crafted.zip_of({f"{n}.txt": b"" for n in range(1500)})
    return {
        "nested ZIP bomb, 16^4 x 16 MB (1 TB)": fan_out(3),
        "ZIP of 16 ZIPs of 16 x 16 MB (4 GB)": fan_out(1),
        "flat ZIP declaring 40 x 16 MB": crafted.raw_zip(
            [{**ZEROS, "name": f"{n}.csv"} for n in range(40)]),
        "50 entries overlapping one 16 MB member": crafted.raw_zip(
            [{**ZEROS}] + [{"name": f"{n}.csv", "offset": 0} for n in range(49)]),
        "ZIP nested in itself 30 times (quine-like)": self_nested(30),
        "member declaring 100 B, inflating 16 MB": crafted.raw_zip([lying]),
        "60,000 empty members": crafted.raw_zip(rows),
        "2 x 1,500 members one level down": crafted.zip_of({"a.zip": inner, "b.zip": inner}),
        "PDF, 300 MB flate bomb object stream": crafted.one_page(
            packed={5: b"<<>>"}, encoded=crafted.flate_bomb(300 * MB)),
        "PDF, 50,001 objects": many_objects(inspection.MAX_PDF_OBJECTS + 1),
        "PDF, JavaScript in an ASCIIHex+Flate object stream": crafted.one_page(
            b"/OpenAction 5 0 R", packed={5: js}, filters=("ASCIIHexDecode", "FlateDecode")),
        "docx, DDEAUTO field split over runs": crafted.office(
            body=crafted.complex_field(" DDE", "AUTO cmd.exe /k calc")),
        "docx, remote template": crafted.office(parts={
            "word/_rels/settings.xml.rels": crafted.relationships(
                ("attachedTemplate", "http://10.0.0.1/t.dotm", "External"))}),
    }  # fmt: skip


def legit() -> dict[str, bytes]:
    scanned = crafted.scanned_pdf(12, size=(1240, 1754))
    report = crafted.report_pdf(1000)
    return {
        f"scanned PDF, 12 A4 pages of noise ({len(scanned) / MB:.1f} MB)": scanned,
        f"text report PDF, 1,000 pages, object streams ({len(report) / MB:.1f} MB)": report,
        "PDF of 49,999 objects (the most checked)": many_objects(inspection.MAX_PDF_OBJECTS - 10),
        "ZIP of the scanned PDF, a docx, an xlsx, an odt": crafted.zip_of({
            "a.pdf": scanned, "b.docx": crafted.office(), "c.xlsx": crafted.office("xlsx"),
            "d.odt": crafted.odf()}),
    }  # fmt: skip


def verdict(data: bytes) -> str:
    try:
        return "accepted " + inspection.EXTENSIONS[inspection.inspect_document(data)]
    except inspection.NotRecognised as refused:
        return "refused: " + str(refused)[:60]


def status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith(field + ":"))
    return int(line.split()[1])


def peak_memory(data: bytes) -> str:
    """Peak resident memory above the level before one check, in MB (Linux only)."""
    if not os.path.exists("/proc/self/clear_refs"):
        return "n/a"
    gc.collect()
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")
    before = status_kb("VmRSS")
    verdict(data)
    return str((status_kb("VmHWM") - before) // 1024)


def seconds(data: bytes) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of three checks (CPU shows the cost on a busy box)."""
    walls, cpus = [], []
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        verdict(data)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def report(title: str, files: dict[str, bytes]) -> None:
    print(f"\n{title}\n| file | size | verdict | median | CPU | peak RSS |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, data in files.items():
        size = f"{len(data) / 1024:,.0f} KB"
        wall, cpu = seconds(data)
        print(f"| {name} | {size} | {verdict(data)} | {wall * 1000:,.0f} ms "
              f"| {cpu * 1000:,.0f} ms | +{peak_memory(data)} MB |")  # fmt: skip


def main() -> None:
    report("Crafted files (each must be refused, quickly, without holding memory)", hostile())
    report("Legit files (each must be accepted)", legit())


if __name__ == "__main__":
    main()
