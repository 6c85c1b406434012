"""A phone photo sent from the desk over a weak uplink: before and after the browser shrinks it.

Serves the demo site with the production server and opens the new-article form in Debian's
Chromium at 360 px through Chrome's network emulation (400 ms round trip, 400 kbit/s up and
down, a mountain commune's 3G). A camera-sized JPEG (4,000 × 3,000, about 4.7 MB) is chosen
as the lead picture:

- before: the page without JavaScript, as every upload went until now: the photo goes up as
  chosen, with the form, when "Lưu nháp" is pressed; timed from the press to the saved page.
- after: the page with its scripts: photo.js shrinks the photo to 2,400 px and sends it at
  once with a progress bar; timed from the choice to "Đã tải ảnh lên", then the save (text
  only) from the press to the saved page.

Prints the seconds and the bytes of the photo sent (after: the upload request's length, from
Chrome's own record of it; before: the photo's size, nearly all of the form's body).

    .venv/bin/python bench/weak_upload.py [--runs 1]
"""

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from bench import live  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
LINK = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8,
        "uploadThroughput": 400_000 / 8}  # fmt: skip
USER = "bientap0"


def camera_photo() -> bytes:
    """A 4,000 × 3,000 JPEG with a camera's detail and noise, about 4.7 MB."""
    size = (4000, 3000)
    base = Image.effect_mandelbrot(size, (-2.2, -1.2, 1.0, 1.2), 80).convert("RGB")
    noise = Image.effect_noise(size, 60).convert("RGB")
    buffer = io.BytesIO()
    Image.blend(base, noise, 0.30).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def open_form(browser, base: str, scripts: bool):
    """A signed-in desk at 360 px, on the new-article form, the weak link switched on."""
    context = browser.new_context(viewport={"width": 360, "height": 740},
                                  java_script_enabled=scripts, locale="vi-VN")
    page = context.new_page()
    page.goto(base + "/admin/login")
    page.fill("#username", USER)
    page.fill("#password", live.EDITOR_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/admin/")
    page.goto(base + "/admin/articles/new")
    page.fill("#title", f"Ảnh từ điện thoại {time.monotonic_ns()}")
    page.locator("input[name=category_id]").first.check()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", LINK)
    sent: dict[str, int] = {}
    session.on("Network.requestWillBeSentExtraInfo", lambda event: sent.__setitem__(
        event["requestId"], int(event["headers"].get("Content-Length", "0") or 0)))
    return context, page, sent


def save(page) -> float:
    started = time.perf_counter()
    page.get_by_role("button", name="Lưu nháp").click(timeout=600_000)
    page.wait_for_url("**/edit", timeout=600_000)
    return time.perf_counter() - started


def before(browser, base: str, photo: bytes) -> tuple[float, int]:
    context, page, _ = open_form(browser, base, scripts=False)
    page.locator("input[name=image_upload]").set_input_files(
        {"name": "IMG_0815.jpg", "mimeType": "image/jpeg", "buffer": photo})
    seconds = save(page)
    context.close()
    # Chrome names no length for a page's own form post: the photo is all of it but a few KB.
    return seconds, len(photo)


def after(browser, base: str, photo: bytes) -> tuple[float, float, int]:
    context, page, sent = open_form(browser, base, scripts=True)
    started = time.perf_counter()
    page.locator("input[name=image_upload]").set_input_files(
        {"name": "IMG_0815.jpg", "mimeType": "image/jpeg", "buffer": photo})
    expect(page.locator(".lead-progress")).to_contain_text("Đã tải ảnh lên", timeout=600_000)
    uploaded = time.perf_counter() - started
    upload_bytes = max(sent.values())
    saved = save(page)
    context.close()
    return uploaded, saved, upload_bytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    options = parser.parse_args()
    photo = camera_photo()
    results = {"before": [], "after": []}
    with tempfile.TemporaryDirectory() as name:
        env = live.prepare(Path(name), editors=1)
        port = live.free_port()
        server = live.start(env, port)
        base = f"http://127.0.0.1:{port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
                )
                for _ in range(options.runs):
                    results["before"].append(before(browser, base, photo))
                    results["after"].append(after(browser, base, photo))
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
    print(f"A {len(photo):,}-byte 4,000 × 3,000 phone photo as the lead picture, 360 px, "
          f"400 ms round trip, 400 kbit/s up, median of {options.runs}:")
    seconds, body = (statistics.median(r[i] for r in results["before"]) for i in (0, 1))
    print(f"  before (sent with the form, as chosen): {body:,.0f} bytes of photo up, "
          f"saved after {seconds:.1f} s")
    uploaded, saved, body = (statistics.median(r[i] for r in results["after"]) for i in (0, 1, 2))
    print(f"  after (shrunk in the browser, sent at once): {body:,.0f} bytes up, "
          f"photo uploaded after {uploaded:.1f} s, then saved in {saved:.1f} s "
          f"({uploaded + saved:.1f} s in all)")


if __name__ == "__main__":
    main()
