"""Error pages: Vietnamese, in the layout of the app that answers, never a stack trace.

One renderer for every Bantin app: a commune's site shows its pages in the site's layout, the
province's entry app in the province's (`Layout`, given to `init_app`). The words are in one
table (`PAGES`); a code's own template (`templates/errors/<code>.html`) adds only what that
page does besides them (the 404's search box, the 413's advice, the 429's form kept).
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app, make_response, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from models import db
from web import redirects
from web.pagination import BadPageNumber, first_page


@dataclass(frozen=True)
class Words:
    title: str
    text: str


# Codes with words of their own; any other HTTP error says GENERIC.
PAGES = {
    400: Words("Yêu cầu không hợp lệ",
               "Máy chủ không hiểu yêu cầu này. Hãy tải lại trang rồi thử lại."),
    403: Words("Bạn không có quyền xem trang này",
               "Trang này chỉ dành cho người có thẩm quyền. Nếu bạn cho rằng đây là nhầm lẫn, "
               "hãy liên hệ quản trị viên."),
    404: Words("Không tìm thấy trang",
               "Trang bạn tìm không có hoặc đã được gỡ xuống. Có thể địa chỉ bị gõ sai, hoặc tin "
               "bài chưa đến giờ đăng."),
    405: Words("Thao tác không được hỗ trợ",
               "Trang này không nhận cách gửi yêu cầu vừa rồi. Hãy quay lại và dùng các nút trên "
               "trang."),
    408: Words("Gửi quá chậm nên máy chủ đã dừng nhận",
               "Nội dung gửi lên đến quá chậm (mạng yếu hoặc bị ngắt) nên máy chủ đã dừng chờ. "
               "Những gì bạn gửi CHƯA được lưu."),
    413: Words("Nội dung gửi lên quá lớn",
               "Những gì bạn gửi vượt quá giới hạn. Hãy rút gọn nội dung, thu nhỏ ảnh hoặc nén "
               "tệp rồi gửi lại."),
    429: Words("Bạn gửi quá nhanh",
               "Trang này đang nhận quá nhiều yêu cầu nên chưa xử lý được nội dung bạn vừa gửi."),
    500: Words("Máy chủ gặp sự cố",
               "Đã có lỗi xảy ra phía máy chủ. Lỗi đã được ghi lại để kỹ thuật viên xử lý. Xin "
               "bạn thử lại sau ít phút."),
}  # fmt: skip
GENERIC = Words("Không thể thực hiện yêu cầu",
                "Yêu cầu của bạn không thực hiện được. Hãy quay lại trang trước và thử lại.")
# A form whose CSRF token expired or is missing, where no view rescues what was typed.
EXPIRED = Words("Biểu mẫu đã hết hạn", "Biểu mẫu đã hết hạn. Hãy tải lại trang rồi thử lại.")
# Codes whose template adds something to the words.
OWN_TEMPLATES = {404, 408, 413, 429, 500}


@dataclass(frozen=True)
class Layout:
    """Where an app's error pages sit, and what its 404 may still find."""

    frame: str  # the layout template the pages extend
    home: str  # the endpoint of "‹ Về trang chủ"
    # A 404's last chance (an old address the redirect table moves), or None.
    find_moved: Callable | None = None
    # Error pages that must never be kept by a browser or a proxy.
    no_store: bool = False


SITE = Layout(frame="base.html", home="public.home", find_moved=redirects.answer)


def words_for(error: HTTPException) -> Words:
    if isinstance(error, CSRFError):
        return EXPIRED
    return PAGES.get(error.code or 500, GENERIC)


def render_page(error: HTTPException, words: Words | None = None, headers=None, **context):
    """The page for `error` in the app's layout, with its status; `words` replace the table's
    (a view's own refusal, such as too many searches)."""
    layout: Layout = current_app.extensions["error_layout"]
    code = error.code or 500
    template = f"errors/{code}.html" if code in OWN_TEMPLATES else "errors/_error.html"
    html = render_template(template, error=error, layout=layout,
                           words=words or words_for(error), **context)  # fmt: skip
    response = make_response(html, code, headers or {})
    if layout.no_store:
        response.cache_control.no_store = True
    return response


def render_error(error: HTTPException):
    """Render the page for an HTTP error with its status code; an old address the redirect
    table knows gets its 301 instead of the 404 (the only place the table is read)."""
    layout: Layout = current_app.extensions["error_layout"]
    if error.code == 404 and layout.find_moved is not None:
        moved = layout.find_moved()
        if moved is not None:
            return moved
    return render_page(error)


def handle_server_error(error: InternalServerError):
    """Roll back the failed transaction so the error page itself can read the database."""
    db.session.rollback()
    return render_error(error)


def init_app(app: Flask, layout: Layout = SITE) -> None:
    """Answer every error of `app` with a Vietnamese page in `layout`. A CSRF failure no view
    rescued is an HTTP 400 like any other, so it reaches `render_error` (EXPIRED)."""
    app.extensions["error_layout"] = layout
    app.register_error_handler(BadPageNumber, first_page)
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(InternalServerError, handle_server_error)
