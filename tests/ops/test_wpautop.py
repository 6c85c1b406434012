"""ops.wpautop against WordPress's own wpautop test cases (the file names its source)."""

import json
from pathlib import Path

import pytest

from ops.wpautop import autop

CASES = Path(__file__).resolve().parent.parent / "fixtures/upstream/wordpress-develop"
DATA = json.loads((CASES / "autop-cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", DATA["cases"], ids=[c["test"] for c in DATA["cases"]])
def test_wordpress_autop_case(case):
    made = autop(case["input"])
    assert (made.strip() if case["trim"] else made) == case["expected"]


def test_a_paragraph_running_into_a_list_has_no_breaks_between_items():
    typed = "Các việc cần làm:\n<ul>\n<li>Sửa đường</li>\n<li>Mở lớp học</li>\n</ul>\nXin cảm ơn."
    assert autop(typed).strip() == (
        "<p>Các việc cần làm:</p>\n<ul>\n<li>Sửa đường</li>\n<li>Mở lớp học</li>\n</ul>\n"
        "<p>Xin cảm ơn.</p>"
    )


def test_nothing_but_blanks_is_nothing():
    assert autop(" \n\n \t") == ""
