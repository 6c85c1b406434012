"""Telling people about work waiting for them, by e-mail when the site sends mail: an article
sent for review reaches every editor and admin, a returned or published one its writer.

The desk shows the same things without mail (the menu's count, the dashboard's lists), so a
message is a courtesy: composed here in Vietnamese with links to the desk, handed to
`mail.send_mail` after the commit that made it true, and never a reason for a save to fail.
"""

from flask import url_for

import mail
import workflow
from models import PENDING, PUBLISHED, Article, Setting, User
from vietnamese import date_time
from web.urls import absolute_url, article_url


def after_save(article: Article, status_before: str | None, actor: User) -> None:
    """Tell whom it concerns that an article was just sent for review or published."""
    if article.status == status_before or not mail.is_enabled():
        return
    if article.status == PENDING:
        submitted(article, actor)
    elif article.status == PUBLISHED:
        published(article, actor)


def submitted(article: Article, sender: User) -> None:
    addresses = [user.email for user in workflow.reviewers(sender) if user.email]
    text = (
        f"{sender.name} đã gửi bài “{article.title}” để duyệt.\n\n"
        "Mở bài để đọc, sửa nếu cần, rồi bấm “Duyệt và đăng”, hoặc “Trả lại” kèm lý do:\n"
        f"{desk_link('admin.article_edit', article_id=article.id)}\n\n"
        f"Mọi bài đang chờ duyệt: {desk_link('admin.article_list', status='pending')}\n"
    )
    mail.send_mail(addresses, f"Bài chờ duyệt: {article.title}", text + footer())


def returned(article: Article, reviewer: User) -> None:
    """Tell the writer their article came back, with the reviewer's reason."""
    writer = workflow.writer_to_tell(article, reviewer)
    if writer is None or not writer.email or not mail.is_enabled():
        return
    text = (
        f"{reviewer.name} đã trả lại bài “{article.title}” để bạn sửa.\n\n"
        f"Lý do: {article.review_note}\n\n"
        "Sửa bài theo góp ý rồi bấm “Gửi duyệt” lần nữa:\n"
        f"{desk_link('admin.article_edit', article_id=article.id)}\n"
    )
    mail.send_mail(writer.email, f"Bài bị trả lại: {article.title}", text + footer())


def published(article: Article, publisher: User) -> None:
    writer = workflow.writer_to_tell(article, publisher)
    if writer is None or not writer.email:
        return
    address = absolute_url(article_url(article))
    if article.is_scheduled:
        subject = f"Bài đã được duyệt, sẽ đăng lúc {date_time(article.publish_at)}: {article.title}"
        text = (
            f"{publisher.name} đã duyệt bài “{article.title}” của bạn. Bài sẽ tự đăng lúc "
            f"{date_time(article.publish_at)}, tại địa chỉ:\n{address}\n"
        )
    else:
        subject = f"Bài đã được đăng: {article.title}"
        text = (
            f"{publisher.name} đã đăng bài “{article.title}” của bạn. "
            f"Bạn đọc đã xem được bài tại:\n{address}\n"
        )
    mail.send_mail(writer.email, subject, text + footer())


def desk_link(endpoint: str, **values) -> str:
    return absolute_url(url_for(endpoint, **values))


def footer() -> str:
    site_name = Setting.values()["site_name"]
    return (
        f"\n-- \nThư tự động từ bàn biên tập {site_name}.\n"
        f"Không muốn nhận thư này nữa: xóa địa chỉ thư của bạn tại "
        f"{desk_link('admin.sign_ins', _anchor='thu-thong-bao')}\n"
    )
