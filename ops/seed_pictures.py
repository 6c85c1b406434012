"""Pictures for the demo site, drawn by Pillow at seed time from simple shapes: each scene of
`seed_content.SCENES` (terraces, a meeting hall, a road, a school...) has its own drawing, and
the variant number moves the sun, the people and the colours so that no two pictures match."""

import io
import random
from collections.abc import Callable

from PIL import Image, ImageDraw

# Drawn on a 1600 × 900 canvas, then scaled down, which smooths the edges of the shapes;
# 1280 px wide is enough for the 960 px rendition a desktop reader gets.
CANVAS = (1600, 900)
W, H = CANVAS
SIZE = (1280, 720)
SKIN = (214, 170, 130)
CLOTHES = ((40, 70, 140), (170, 40, 40), (30, 110, 70), (90, 60, 120), (200, 120, 30),
           (60, 60, 60), (20, 120, 160))  # fmt: skip


def draw_scene(scene: str, variant: int) -> bytes:
    """Return the JPEG of one scene; the same scene and variant always give the same bytes."""
    rng = random.Random(f"{scene}-{variant}")
    image = Image.new("RGB", CANVAS)
    DRAWINGS[scene](ImageDraw.Draw(image), rng)
    buffer = io.BytesIO()
    image.resize(SIZE, Image.Resampling.LANCZOS).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


# --- Building blocks ---------------------------------------------------------------------


def gradient(draw, top, bottom, y0: int = 0, y1: int = H) -> None:
    for y in range(y0, y1):
        mix = (y - y0) / max(1, y1 - y0)
        colour = tuple(int(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (W, y)], fill=colour)


def sky(draw, rng, horizon: int = 520, rain: bool = False) -> None:
    top = (rng.randint(70, 130), rng.randint(140, 190), rng.randint(215, 245))
    if rain:
        top = (120, 130, 140)
    gradient(draw, top, (232, 228, 214), 0, horizon)
    if not rain:
        x, y = rng.randint(150, W - 150), rng.randint(70, 200)
        draw.ellipse([x - 55, y - 55, x + 55, y + 55], fill=(255, 238, 170))


def hills(draw, rng, base: int, colours, height: int = 220) -> None:
    for layer, colour in enumerate(colours):
        y = base + layer * 40
        points = [(0, H)]
        for x in range(-100, W + 200, 160):
            points.append((x, y - rng.randint(0, height - layer * 40)))
        points.append((W, H))
        draw.polygon(points, fill=colour)


def ground(draw, top: int, colour) -> None:
    draw.rectangle([0, top, W, H], fill=colour)


def person(draw, x: int, y: int, rng, scale: float = 1.0, colour=None) -> None:
    """A standing figure whose feet are at (x, y)."""
    colour = colour or rng.choice(CLOTHES)
    head, body = int(14 * scale), int(60 * scale)
    draw.rectangle([x - 12 * scale, y - body, x + 12 * scale, y - 8 * scale], fill=colour)
    draw.rectangle([x - 9 * scale, y - 10 * scale, x + 9 * scale, y], fill=(50, 50, 60))
    draw.ellipse([x - head, y - body - 2 * head, x + head, y - body], fill=SKIN)


def crowd(draw, rng, count: int, y0: int, y1: int, scale: float = 1.0) -> None:
    for _ in range(count):
        y = rng.randint(y0, y1)
        nearer = 0.7 + 0.6 * (y - y0) / (y1 - y0 + 1)  # people further back look smaller
        person(draw, rng.randint(40, W - 40), y, rng, scale * nearer)


def house(draw, x, y, w, h, wall, roof, windows: int = 3) -> None:
    """A building whose ground line is y, with a pitched roof and a row of windows."""
    draw.rectangle([x, y - h, x + w, y], fill=wall)
    draw.polygon([(x - 30, y - h), (x + w // 2, y - h - h // 2), (x + w + 30, y - h)], fill=roof)
    step = w // (windows + 1)
    for number in range(1, windows + 1):
        wx = x + number * step
        draw.rectangle([wx - 22, y - h + 40, wx + 22, y - h + 100], fill=(90, 130, 170))
    draw.rectangle([x + w // 2 - 30, y - 110, x + w // 2 + 30, y], fill=(110, 70, 40))


def tree(draw, x, y, size, rng) -> None:
    draw.rectangle([x - size // 10, y - size, x + size // 10, y], fill=(100, 70, 40))
    green = (30 + rng.randint(0, 40), 110 + rng.randint(0, 50), 40)
    draw.ellipse([x - size // 2, y - size * 2, x + size // 2, y - size // 2], fill=green)


def flag_pole(draw, x, y, height=320) -> None:
    draw.rectangle([x - 4, y - height, x + 4, y], fill=(200, 200, 200))
    draw.rectangle([x + 4, y - height, x + 124, y - height + 80], fill=(218, 37, 29))


# --- The scenes --------------------------------------------------------------------------


def terraces(draw, rng) -> None:
    sky(draw, rng, 420)
    hills(draw, rng, 330, [(70, 110, 80), (90, 140, 80)], 160)
    water = rng.random() < 0.5  # the month the water is let in, or green rice
    for row in range(12):
        y = 430 + row * 40
        colour = (150, 190, 200) if water and row % 2 else (110 + row * 6, 170, 60)
        offset = rng.randint(-120, 120)
        draw.pieslice([-400 + offset, y - 60, W + 400 + offset, y + 200], 180, 360, fill=colour)
        draw.arc([-400 + offset, y - 60, W + 400 + offset, y + 200], 180, 360,
                 fill=(90, 70, 40), width=5)  # fmt: skip
    crowd(draw, rng, rng.randint(2, 5), 600, 860, 0.9)


def meeting_hall(draw, rng) -> None:
    gradient(draw, (235, 225, 205), (200, 185, 160))
    draw.rectangle([200, 60, W - 200, 420], fill=(178, 24, 30))  # the stage backdrop
    for line in range(3):
        width = 700 - line * 150
        draw.rectangle([W // 2 - width // 2, 120 + line * 70, W // 2 + width // 2,
                        150 + line * 70], fill=(245, 210, 80))  # fmt: skip
    draw.rectangle([250, 420, W - 250, 470], fill=(120, 60, 40))
    draw.rectangle([W // 2 - 400, 330, W // 2 + 400, 420], fill=(240, 240, 235))  # the table
    for x in range(W // 2 - 330, W // 2 + 331, 165):
        person(draw, x, 420, rng, 1.0, (40, 40, 50))
    for row in range(4):
        y = 560 + row * 95
        for x in range(120 + (row % 2) * 40, W - 80, 110 + rng.randint(0, 15)):
            draw.ellipse([x - 26, y - 60, x + 26, y - 8], fill=(40, 30, 25))
            draw.rectangle([x - 40, y - 10, x + 40, y + 60], fill=rng.choice(CLOTHES))


def village_road(draw, rng) -> None:
    sky(draw, rng, 460)
    hills(draw, rng, 380, [(70, 120, 80), (95, 150, 90)], 180)
    ground(draw, 460, (120, 170, 70))
    left = rng.randint(-200, 200)
    far, near = W // 2 + left // 4, W // 2 + left
    draw.polygon([(far - 40, 460), (far + 40, 460), (near + 520, H), (near - 520, H)],
                 fill=(190, 190, 185))  # fmt: skip
    for y in range(480, H, 60):
        draw.line([(0, y), (W, y)], fill=(105, 155, 60), width=2)
    for side in (-1, 1):
        for step in range(5):
            x = W // 2 + side * (120 + step * 150) + left // 3
            tree(draw, x, 470 + step * 80, 70 + step * 25, rng)
    crowd(draw, rng, rng.randint(3, 6), 620, 860, 1.2)


def school(draw, rng) -> None:
    sky(draw, rng, 470)
    ground(draw, 470, (200, 190, 170))
    wall, roof = rng.choice((((245, 215, 110), (180, 70, 50)), ((235, 235, 225), (40, 90, 160)),
                             ((240, 190, 150), (120, 60, 50))))  # fmt: skip
    left = rng.randint(80, 420)
    house(draw, left, 560, 1000, 230, wall, roof, windows=6)
    flag_pole(draw, left + 1160 if left < 300 else left - 120, 560)
    for _ in range(rng.randint(25, 40)):
        x, y = rng.randint(100, W - 100), rng.randint(640, 860)
        person(draw, x, y, rng, 0.6 + (y - 640) / 500, rng.choice(((240, 240, 245), (30, 60, 150))))


def health_station(draw, rng) -> None:
    sky(draw, rng, 480)
    hills(draw, rng, 420, [(90, 140, 90)], 150)
    ground(draw, 560, (150, 180, 120))
    house(draw, 420, 620, 760, 240, (245, 245, 240), (60, 120, 90), windows=4)
    draw.rectangle([760, 380, 840, 400], fill=(210, 30, 40))  # the red cross
    draw.rectangle([790, 350, 810, 430], fill=(210, 30, 40))
    for number in range(rng.randint(4, 7)):
        person(draw, 300 + number * 160 + rng.randint(-30, 30), 760, rng, 1.3)


def market(draw, rng) -> None:
    sky(draw, rng, 380)
    ground(draw, 380, (170, 150, 120))
    colours = [(220, 60, 50), (40, 110, 190), (240, 180, 40), (60, 150, 80), (200, 90, 150)]
    for number in range(6):
        x = 40 + number * 260
        awning = colours[(number + rng.randint(0, 4)) % len(colours)]
        draw.polygon([(x, 420), (x + 240, 420), (x + 220, 340), (x + 20, 340)], fill=awning)
        draw.rectangle([x + 10, 420, x + 230, 540], fill=(150, 110, 70))
        for basket in range(3):
            bx = x + 40 + basket * 70
            fruit = rng.choice(((230, 120, 40), (60, 160, 60), (200, 40, 60), (240, 210, 80)))
            draw.ellipse([bx - 28, 470, bx + 28, 520], fill=fruit)
    crowd(draw, rng, rng.randint(14, 22), 600, 880, 1.1)


def flood_drill(draw, rng) -> None:
    raining = rng.random() < 0.5
    sky(draw, rng, 360, rain=raining)
    hills(draw, rng, 300, [(80, 100, 80), (100, 120, 90)], 140)
    bank = rng.randint(420, 560)
    gradient(draw, (150, 120, 80), (120, 95, 60), bank, H)  # brown flood water
    for _ in range(60):
        x, y = rng.randint(0, W), rng.randint(bank + 10, H)
        draw.line([(x, y), (x + 60, y)], fill=(170, 140, 100), width=3)
    x = rng.randint(300, 900)
    draw.polygon([(x, 660), (x + 520, 660), (x + 440, 740), (x + 60, 740)], fill=(60, 90, 140))
    for seat in range(4):
        person(draw, x + 100 + seat * 110, 670, rng, 1.0, (250, 120, 20))  # life jackets
    for _ in range(140 if raining else 0):
        rx, ry = rng.randint(0, W), rng.randint(0, H)
        draw.line([(rx, ry), (rx - 12, ry + 40)], fill=(200, 205, 215), width=2)


def tea_hills(draw, rng) -> None:
    sky(draw, rng, 360)
    gradient(draw, (120, 170, 80), (70, 130, 60), 360, H)
    for row in range(14):
        y = 380 + row * 38
        for x in range(-60 + (row % 2) * 50, W + 60, 100):
            draw.ellipse([x - 48, y - 14, x + 48, y + 22], fill=(40, 110 + row * 3, 50))
    for _ in range(rng.randint(3, 6)):
        px, py = rng.randint(100, W - 100), rng.randint(620, 860)
        person(draw, px, py, rng, 1.2)
        draw.polygon([(px - 34, py - 96), (px + 34, py - 96), (px, py - 128)], fill=(225, 200, 140))


def festival(draw, rng) -> None:
    sky(draw, rng, 480)
    ground(draw, 480, (170, 160, 90))
    pole = rng.randint(600, 1000)
    draw.rectangle([pole - 8, 90, pole + 8, 560], fill=(130, 90, 50))
    draw.ellipse([pole - 70, 40, pole + 70, 180], outline=(240, 200, 40), width=14)
    for string in range(2):
        y = 80 + string * 60
        draw.line([(0, y + 120), (W, y)], fill=(90, 90, 90), width=2)
        for x in range(30, W, 70):
            colour = ((218, 37, 29), (245, 200, 40), (40, 110, 190))[(x // 70 + string) % 3]
            yy = y + 120 - x * 120 // W
            draw.polygon([(x, yy), (x + 40, yy), (x + 20, yy + 40)], fill=colour)
    crowd(draw, rng, rng.randint(30, 45), 560, 880, 1.0)
    for _ in range(3):  # the còn balls in the air
        bx, by = rng.randint(pole - 300, pole + 300), rng.randint(200, 420)
        draw.ellipse([bx - 16, by - 16, bx + 16, by + 16], fill=(230, 60, 90))


def cattle_barn(draw, rng) -> None:
    sky(draw, rng, 420)
    hills(draw, rng, 360, [(80, 120, 80)], 160)
    ground(draw, 520, (130, 150, 90))
    draw.rectangle([300, 330, 1300, 700], fill=(120, 80, 50))  # the barn
    draw.polygon([(250, 330), (800, 170), (1350, 330)], fill=(80, 80, 90))
    draw.rectangle([330, 360, 1270, 690], fill=(200, 200, 190))  # the tarpaulin
    for number in range(rng.randint(2, 4)):
        x = 380 + number * 250 + rng.randint(-20, 20)
        colour = rng.choice(((60, 55, 55), (150, 100, 60), (90, 80, 75)))
        draw.ellipse([x, 560, x + 220, 680], fill=colour)  # body
        draw.ellipse([x + 190, 530, x + 270, 600], fill=colour)  # head
        draw.line([(x + 200, 535), (x + 170, 505)], fill=(230, 230, 220), width=6)  # horn
        for leg in (20, 60, 150, 190):
            draw.rectangle([x + leg, 660, x + leg + 16, 740], fill=colour)
    for _ in range(6):  # bales of hay
        x = rng.randint(100, 1440)
        draw.rectangle([x, 760, x + 90, 810], fill=(220, 200, 120))


def forest_planting(draw, rng) -> None:
    sky(draw, rng, 560)
    left, right = rng.choice(((260, 520), (520, 260), (380, 400)))
    soil = rng.choice(((150, 110, 70), (170, 120, 80), (125, 95, 60)))
    draw.polygon([(0, left), (W, right), (W, H), (0, H)], fill=soil)  # a bare hillside
    for row in range(8):
        for column in range(12):
            x = 60 + column * 130 + (row % 2) * 60
            y = left + 70 + row * 75 + column * (right - left) // 12
            draw.line([(x, y), (x, y - 40)], fill=(90, 60, 30), width=4)
            draw.polygon([(x - 18, y - 30), (x + 18, y - 30), (x, y - 70)], fill=(40, 140, 50))
    crowd(draw, rng, rng.randint(4, 8), 560, 880, 1.2)


def service_counter(draw, rng) -> None:
    gradient(draw, (235, 238, 240), (210, 214, 218))
    draw.rectangle([0, 620, W, H], fill=(190, 170, 140))  # the floor
    draw.rectangle([120, 80, W - 120, 160], fill=(20, 80, 150))  # the sign above the desks
    draw.rectangle([300, 105, W - 300, 135], fill=(240, 240, 240))
    for desk in range(4):
        x = 160 + desk * 340
        draw.rectangle([x, 250, x + 280, 320], fill=(30, 40, 50))  # queue screen
        draw.rectangle([x + 20, 270, x + 80, 300], fill=(240, 70, 60))
        person(draw, x + 140, 470, rng, 1.3, (245, 245, 245))  # the officer behind the desk
        draw.rectangle([x, 440, x + 280, 560], fill=(170, 120, 70))  # the desk
    for seat in range(rng.randint(3, 7)):
        person(draw, 200 + seat * 200 + rng.randint(-40, 40), 860, rng, 1.6)


def volleyball(draw, rng) -> None:
    sky(draw, rng, 380)
    hills(draw, rng, 330, [(80, 130, 90)], 150)
    ground(draw, 480, (200, 170, 120))
    draw.polygon([(200, 520), (W - 200, 520), (W - 40, 860), (40, 860)], fill=(190, 110, 80))
    draw.line([(W // 2, 520), (W // 2, 860)], fill=(245, 245, 245), width=6)
    draw.rectangle([W // 2 - 6, 360, W // 2 + 6, 700], fill=(80, 80, 80))
    for y in range(400, 480, 14):
        draw.line([(W // 2 - 380, y), (W // 2 + 380, y)], fill=(240, 240, 240), width=2)
    for team, colour in ((-1, (200, 40, 40)), (1, (30, 80, 170))):
        for _ in range(3):
            person(draw, W // 2 + team * rng.randint(120, 520), rng.randint(600, 820), rng, 1.3,
                   colour)  # fmt: skip
    bx = W // 2 + rng.randint(-200, 200)
    draw.ellipse([bx - 20, 280, bx + 20, 320], fill=(250, 230, 60))


def cultural_house(draw, rng) -> None:
    sky(draw, rng, 440)
    hills(draw, rng, 380, [(70, 120, 80), (100, 150, 90)], 170)
    ground(draw, 600, (180, 170, 140))
    house(draw, 380, 640, 840, 260, (230, 200, 160), (150, 50, 40), windows=5)
    draw.rectangle([640, 330, 960, 380], fill=(200, 30, 35))  # the name board
    for x in (300, 1300):
        flag_pole(draw, x, 640, 300)
    crowd(draw, rng, rng.randint(8, 16), 700, 880, 1.1)


DRAWINGS: dict[str, Callable] = {
    "ruong-bac-thang": terraces,
    "hoi-truong": meeting_hall,
    "duong-thon": village_road,
    "truong-hoc": school,
    "tram-y-te": health_station,
    "cho-phien": market,
    "dien-tap-lu": flood_drill,
    "doi-che": tea_hills,
    "le-hoi": festival,
    "chuong-trai": cattle_barn,
    "trong-rung": forest_planting,
    "mot-cua": service_counter,
    "san-bong": volleyball,
    "nha-van-hoa": cultural_house,
}
