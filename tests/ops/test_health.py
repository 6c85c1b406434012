import os
import shutil

from models import db


def test_healthz_answers_ok_when_the_site_can_serve_and_save(migrated_app):
    response = migrated_app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"
    assert response.mimetype == "text/plain"
    assert "no-store" in response.headers["Cache-Control"]


def test_healthz_is_503_while_the_schema_was_never_migrated(empty_app):
    response = empty_app.test_client().get("/healthz")
    assert response.status_code == 503
    assert "Phiên bản lược đồ chưa tạo bảng" in response.get_data(as_text=True)


def test_healthz_is_503_when_the_database_is_newer_than_the_code(migrated_app):
    with db.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0123456789ab'")
    response = migrated_app.test_client().get("/healthz")
    assert response.status_code == 503
    assert "0123456789ab không có trong mã nguồn này" in response.get_data(as_text=True)


def test_healthz_is_503_when_the_database_does_not_answer(tmp_path, make_app):
    missing = tmp_path / "no-such-folder" / "bantin.db"
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{missing}")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_data(as_text=True) == "lỗi: Cơ sở dữ liệu không trả lời"


def test_healthz_is_503_when_uploads_cannot_be_written(migrated_app):
    media = migrated_app.config["MEDIA_ROOT"]
    shutil.rmtree(media)
    with open(media, "w") as blocker:  # a file where the folder should be
        blocker.write("x")
    response = migrated_app.test_client().get("/healthz")
    assert response.status_code == 503
    assert "Thư mục ảnh và tệp không ghi được" in response.get_data(as_text=True)
    os.remove(media)


def test_check_command_explains_what_to_do(empty_app):
    result = empty_app.test_cli_runner().invoke(args=["check"])
    assert result.exit_code == 1
    assert "LỖI   Phiên bản lược đồ: chưa tạo bảng" in result.output
    assert "flask --app app upgrade-db" in result.output
    assert "Trang chưa sẵn sàng" in result.output


def test_check_command_is_happy_with_a_migrated_site(migrated_app):
    result = migrated_app.test_cli_runner().invoke(args=["check"])
    assert result.exit_code == 0, result.output
    assert "OK    Cơ sở dữ liệu: trả lời" in result.output
    assert "OK    Phiên bản lược đồ: mới nhất" in result.output
    assert "OK    Thư mục ảnh và tệp: ghi được" in result.output
    assert "Trang sẵn sàng phục vụ." in result.output


def test_check_command_warns_about_missing_backups_without_failing(migrated_app):
    if db.engine.url.get_backend_name() == "sqlite":
        expected = "CHÚ Ý Sao lưu: chưa có bản sao lưu nào"
    else:
        expected = "CHÚ Ý Sao lưu: PostgreSQL: Bantin không tự sao lưu"
    result = migrated_app.test_cli_runner().invoke(args=["check"])
    assert expected in result.output
    assert result.exit_code == 0


def test_check_command_warns_without_a_public_address(migrated_app):
    result = migrated_app.test_cli_runner().invoke(args=["check"])
    assert "CHÚ Ý Địa chỉ công khai: chưa đặt SITE_URL" in result.output
    assert "FLASK_SITE_URL" in result.output
    assert result.exit_code == 0
    migrated_app.config["SITE_URL"] = "https://xahoason.gov.vn"
    result = migrated_app.test_cli_runner().invoke(args=["check"])
    assert "OK    Địa chỉ công khai: https://xahoason.gov.vn" in result.output
