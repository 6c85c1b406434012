"""The publishing rules: which buttons each role sees, which one is the main action, what a
return to the author does, and the states the desk colours."""

from datetime import timedelta

import pytest

import models
import workflow
from models import DRAFT, PENDING, PUBLISHED


def names(user, article):
    return [action.name for action in workflow.available_actions(user, article)]


def primary(user, article):
    [main] = [action for action in workflow.available_actions(user, article) if action.primary]
    return main.name, main.label


@pytest.fixture
def people(make_user):
    return {role: make_user(username=role, role=role) for role in models.ROLES}


@pytest.mark.parametrize("role", ["admin", "editor"])
def test_those_who_may_publish_get_dang_as_main_action_and_no_gui_duyet(people, role):
    user = people[role]
    assert primary(user, None) == ("publish", "Đăng")
    assert "submit" not in names(user, None)
    assert names(user, None)[0] == "draft"  # Enter in a field saves a draft, never publishes


def test_an_author_gets_gui_duyet_as_main_action_and_cannot_publish(people):
    author = people["author"]
    assert names(author, None) == ["draft", "submit"]
    assert primary(author, None) == ("submit", "Gửi duyệt")


def test_a_pending_article_offers_the_editor_duyet_va_dang(people, make_article):
    article = make_article(status=PENDING, created_by=people["author"].id)
    assert primary(people["editor"], article) == ("approve", "Duyệt và đăng")
    assert "draft" not in names(people["editor"], article)  # saving must not unsubmit it
    assert workflow.may_review(people["editor"], article)
    assert not workflow.may_review(people["author"], article)


def test_a_published_article_is_updated_not_republished(people, make_article):
    article = make_article()
    assert names(people["editor"], article) == ["update"]
    assert primary(people["editor"], article) == ("update", "Cập nhật")


def test_saving_a_draft_is_never_the_main_action(people, make_article):
    for user in people.values():
        for status in (DRAFT, PENDING):
            article = make_article(status=status, created_by=user.id)
            assert primary(user, article)[0] != "draft"


def test_returning_records_the_reason_and_resubmitting_forgets_it(people, make_article, clock):
    article = make_article(status=PENDING, created_by=people["author"].id)
    workflow.return_to_author(article, "Thiếu ảnh và nguồn tin.", people["editor"])
    assert article.status == DRAFT and article.is_returned
    assert article.review_note == "Thiếu ảnh và nguồn tin."
    assert article.returned_by == "editor" and article.returned_at == clock.now
    assert workflow.state(article) == "returned"
    assert workflow.describe(article) == "Bị trả lại"
    models.db.session.commit()
    assert workflow.returned_to(people["author"]) == [article]
    assert workflow.returned_to(people["editor"]) == []

    workflow.apply_action(article, "submit")
    assert article.status == PENDING and not article.is_returned and article.review_note == ""
    models.db.session.commit()
    assert workflow.returned_to(people["author"]) == []
    assert workflow.submitted_by(people["author"]) == [article]


def test_approving_publishes_now(people, make_article, clock):
    article = make_article(status=PENDING)
    workflow.apply_action(article, "approve")
    assert article.status == PUBLISHED and article.publish_at == clock.now


def test_each_state_has_its_own_name_for_its_colour(make_article, clock):
    live = make_article()
    expired = make_article(expire_at=clock.now - timedelta(minutes=1))
    scheduled = make_article(publish_at=clock.now + timedelta(days=1))
    states = [workflow.state(a) for a in (live, expired, scheduled)]
    assert states == ["live", "expired", "scheduled"]
    assert workflow.state(make_article(status=DRAFT)) == "draft"
    assert workflow.state(make_article(status=PENDING)) == "pending"


def test_every_save_is_named_in_the_audit_log():
    assert set(workflow.AUDITED) == set(workflow.ACTIONS)
