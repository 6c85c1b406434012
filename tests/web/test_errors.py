"""web.errors: one renderer of Vietnamese error pages, in the layout of the app that answers
(the province's own pages are in tests/sites/test_province.py)."""

from flask import abort
from werkzeug.exceptions import HTTPException

from web import errors


def test_every_code_with_a_page_has_vietnamese_words():
    for code, words in errors.PAGES.items():
        assert words.title and words.text, code
    assert errors.words_for(HTTPException()) == errors.PAGES[500]


def test_an_expired_form_no_view_rescues_says_so_in_the_sites_layout(csrf_app):
    """A cross-site form's bad token gets nothing of what it sent back, but the same words a
    province's expired form gets, not "the server did not understand"."""
    response = csrf_app.test_client().post(
        "/hoi-dap/dat-cau-hoi", data={"title": "Câu hỏi lạ", "csrf_token": "cu"},
        headers={"Sec-Fetch-Site": "cross-site"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Biểu mẫu đã hết hạn" in page and "Hãy tải lại trang rồi thử lại." in page
    assert 'class="masthead"' in page and "Câu hỏi lạ" not in page


def test_an_unknown_error_code_gets_the_generic_page(app, client):
    @app.get("/thu-418")
    def teapot():
        abort(418)

    response = client.get("/thu-418")
    page = response.get_data(as_text=True)
    assert response.status_code == 418
    assert "Không thể thực hiện yêu cầu" in page and "Lỗi 418" in page
