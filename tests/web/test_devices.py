"""web.devices: a sign-in's browser and device named as people say them."""

import pytest

from web.devices import device_model, device_name

ANDROID_CHROME = ("Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like "
                  "Gecko) Chrome/131.0.0.0 Mobile Safari/537.36")  # fmt: skip
IPHONE_SAFARI = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
                 "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")  # fmt: skip
IPAD_CHROME = ("Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
               "Gecko) CriOS/120.0 Mobile/15E148 Safari/604.1")  # fmt: skip
MAC_SAFARI = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
              "Gecko) Version/17.4 Safari/605.1.15")  # fmt: skip
WINDOWS_COCCOC = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
                  "Gecko) coc_coc_browser/123.0.200 Chrome/117.0.5938.200 "
                  "Safari/537.36")  # fmt: skip
WINDOWS_EDGE = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0")  # fmt: skip
LINUX_FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
ZALO_ANDROID = ("Mozilla/5.0 (Linux; Android 13; 22101316G Build/TP1A.220624.014; wv) "
                "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile "
                "Safari/537.36 Zalo android/12100609")  # fmt: skip


@pytest.mark.parametrize(
    ("user_agent", "name"),
    [
        (ANDROID_CHROME, "Chrome trên Android"),
        (IPHONE_SAFARI, "Safari trên iPhone"),
        (IPAD_CHROME, "Chrome trên iPad"),
        (MAC_SAFARI, "Safari trên máy Mac"),
        (WINDOWS_COCCOC, "Cốc Cốc trên Windows"),
        (WINDOWS_EDGE, "Edge trên Windows"),
        (LINUX_FIREFOX, "Firefox trên Linux"),
        (ZALO_ANDROID, "Trình duyệt trong ứng dụng trên Android"),
        ("curl/8.5.0", "curl"),
        ("", "Thiết bị không rõ"),
    ],
)
def test_devices_are_named_as_people_say_them(user_agent, name):
    assert device_name(user_agent) == name


def test_a_phone_s_maker_and_model_are_named_when_the_browser_tells():
    assert device_model(ANDROID_CHROME) == "Samsung SM-A546E"
    assert device_model(IPHONE_SAFARI) == ""  # "iPhone" already says it
    assert device_model(WINDOWS_EDGE) == ""


@pytest.mark.parametrize(
    "user_agent",
    ["<script>alert(1)</script>", "A" * 5000, "Mozilla/5.0 (\x00\u202e)", "🙂" * 300],
)
def test_attack_any_header_gets_a_name_and_no_error(user_agent):
    assert isinstance(device_name(user_agent), str)
    assert isinstance(device_model(user_agent), str)
