"""Helpers shared by the citizens' tests: a form a person filled in at a person's pace."""

import time

from flask import current_app
from itsdangerous import URLSafeSerializer

import participation
from models import PUBLISHED, Question, db, utcnow

# What a careful reader leaves everywhere: name, contact details we must never publish.
ASKER = {"name": "Trần Thị Bưởi", "phone": "0912 345 678", "email": "buoi.tran@example.vn"}


def started(seconds_ago: int = 60) -> str:
    """The signed moment a form was shown, `seconds_ago` seconds back."""
    serializer = URLSafeSerializer(current_app.secret_key, salt=participation.FILL_SALT)
    return serializer.dumps(int(time.time()) - seconds_ago)


def question_data(**fields) -> dict:
    data = {
        **ASKER,
        "topic": "dat-dai",
        "title": "Thủ tục cấp đổi sổ đỏ mất bao lâu?",
        "body": "Gia đình tôi ở thôn Đông muốn cấp đổi giấy chứng nhận. Cần giấy tờ gì?",
        "consent": "y",
        "website": "",
        "started": started(),
    }
    data.update(fields)
    return data


def make_question(status: str = PUBLISHED, **fields) -> Question:
    """A question straight in the database, answered and published unless told otherwise."""
    values = {
        **ASKER,
        "topic": "dat-dai",
        "title": "Hỏi về thủ tục cấp đổi giấy chứng nhận",
        "body": "Tôi cần chuẩn bị những giấy tờ gì?",
        "answer": "<p>Ông bà mang theo giấy chứng nhận cũ và căn cước.</p>",
        "answer_text": "Ông bà mang theo giấy chứng nhận cũ và căn cước.",
        "status": status,
        "sender_key": "k" * 32,
    }
    values.update(fields)
    question = Question(**values)
    if status == PUBLISHED:
        question.published_at = question.published_at or utcnow()
    db.session.add(question)
    db.session.commit()
    return question
