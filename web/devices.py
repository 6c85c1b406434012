"""Browsers and devices named as people say them ("Chrome trên Android", "Safari trên iPhone"),
from a sign-in's User-Agent header, read by ua-parser (the maintained uap-core rules).

The first name asked in a process costs ua-parser about a second (it prepares its rules), so
names are made only where a page lists sign-ins, never on the way in; and ua-parser is
imported there too, so a worker serving readers does without it.
"""

from functools import lru_cache

# ua-parser's browser families, as the desk calls them; others keep their family's name.
BROWSERS = {
    "Chrome Mobile": "Chrome",
    "Chrome Mobile iOS": "Chrome",
    "Chrome Mobile WebView": "Trình duyệt trong ứng dụng",
    "Mobile Safari": "Safari",
    "Mobile Safari UI/WKWebView": "Trình duyệt trong ứng dụng",
    "Firefox Mobile": "Firefox",
    "Firefox iOS": "Firefox",
    "Edge Mobile": "Edge",
    "Opera Mobile": "Opera",
    "Coc Coc": "Cốc Cốc",
    "HeadlessChrome": "Chrome không giao diện",
}
# Operating systems, or the Apple device itself, which people name rather than its system.
SYSTEMS = {"Mac OS X": "máy Mac", "Chrome OS": "Chromebook"}
APPLE_DEVICES = ("iPhone", "iPad", "iPod")
# Device brands ua-parser gives when it does not know the maker.
UNKNOWN_BRANDS = {"Generic", "Generic_Android", "Generic_Inettv", "Spider", None}
UNKNOWN = "Thiết bị không rõ"


@lru_cache(maxsize=256)
def device_name(user_agent: str) -> str:
    """Name a browser and its device: "Chrome trên Android", "Safari trên iPhone"."""
    import ua_parser  # lazy: see the module's docstring

    found = ua_parser.parse(user_agent or "")
    browser = browser_name(found.user_agent)
    system = system_name(found.os, found.device)
    if browser and system:
        return f"{browser} trên {system}"
    return browser or (f"Trình duyệt trên {system}" if system else UNKNOWN)


@lru_cache(maxsize=256)
def device_model(user_agent: str) -> str:
    """The phone's or tablet's maker and model when the header tells ("Samsung SM-A546E")."""
    import ua_parser  # lazy: see the module's docstring

    device = ua_parser.parse(user_agent or "").device
    if device is None or device.brand in UNKNOWN_BRANDS or device.brand == "Apple":
        return ""
    return " ".join(part for part in (device.brand, device.model) if part)


def browser_name(user_agent) -> str:
    if user_agent is None or user_agent.family == "Other":
        return ""
    return BROWSERS.get(user_agent.family, user_agent.family)


def system_name(system, device) -> str:
    if device is not None and device.family in APPLE_DEVICES:
        return device.family
    if system is None or system.family == "Other":
        return ""
    return SYSTEMS.get(system.family, system.family)
