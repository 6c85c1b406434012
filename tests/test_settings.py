import gzip
import os
from pathlib import Path

import click
import pytest
from flask import Config
from flask.cli import ScriptInfo
from sqlalchemy import text

import settings
from app import create_app
from models import db
from ops import backup, production
from settings import DEFAULT_SECRET_KEY
from web.assets import asset_url


def production_config(tmp_path, **settings) -> dict:
    """A configuration as a production start sees it: no TESTING, no DEBUG."""
    return {
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'site.db'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        **settings,
    }


@pytest.mark.parametrize("key", [DEFAULT_SECRET_KEY, "", None])
def test_production_start_with_the_default_secret_key_refuses_and_says_how(tmp_path, key):
    with pytest.raises(SystemExit) as refused:
        create_app(production_config(tmp_path, SECRET_KEY=key))
    message = str(refused.value.code)
    assert "Bantin từ chối chạy" in message
    assert "make config" in message and "FLASK_SECRET_KEY" in message


def test_production_start_with_its_own_key_runs(tmp_path):
    app = create_app(production_config(tmp_path, SECRET_KEY="khoa-rieng-cua-xa-hoa-son"))
    assert app.config["SECRET_KEY"] == "khoa-rieng-cua-xa-hoa-son"


@pytest.mark.parametrize("key", [DEFAULT_SECRET_KEY, ""])
def test_attack_a_debug_start_never_signs_sessions_with_the_default_key(tmp_path, key, caplog):
    first = create_app(production_config(tmp_path, SECRET_KEY=key, DEBUG=True))
    second = create_app(production_config(tmp_path, SECRET_KEY=key, DEBUG=True))
    assert first.debug
    assert first.config["SECRET_KEY"] not in (DEFAULT_SECRET_KEY, "")
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] != second.config["SECRET_KEY"]
    assert "khóa ngẫu nhiên" in caplog.text


def test_a_debug_start_keeps_a_key_of_its_own(tmp_path):
    app = create_app(production_config(tmp_path, SECRET_KEY="khoa-rieng", DEBUG=True))
    assert app.config["SECRET_KEY"] == "khoa-rieng"


def test_trusted_hosts_follow_the_public_address(tmp_path):
    site = create_app(production_config(
        tmp_path, SECRET_KEY="k", SITE_URL="https://xahoason.gov.vn/"
    ))  # fmt: skip
    assert site.config["TRUSTED_HOSTS"] == ["xahoason.gov.vn", "localhost", "127.0.0.1"]
    first_look = create_app(production_config(tmp_path, SECRET_KEY="k"))
    assert first_look.config["TRUSTED_HOSTS"] == ["localhost", "127.0.0.1"]
    listed = create_app(production_config(
        tmp_path, SECRET_KEY="k", TRUSTED_HOSTS="xa.gov.vn, www.xa.gov.vn"
    ))  # fmt: skip
    assert listed.config["TRUSTED_HOSTS"] == ["xa.gov.vn", "www.xa.gov.vn"]


def test_a_production_start_without_a_public_address_warns(tmp_path, caplog):
    create_app(production_config(tmp_path, SECRET_KEY="k"))
    assert "Chưa đặt địa chỉ công khai (SITE_URL)" in caplog.text
    caplog.clear()
    create_app(production_config(tmp_path, SECRET_KEY="k", SITE_URL="https://xa.gov.vn"))
    assert "SITE_URL" not in caplog.text


def private(path) -> bool:
    return os.stat(path).st_mode & 0o077 == 0


def test_attack_database_logs_and_backups_are_readable_by_their_owner_only(tmp_path):
    old_umask = os.umask(0o022)
    try:
        app = create_app(production_config(tmp_path, SECRET_KEY="k", TESTING=True))
        with app.app_context():
            db.create_all()
            db.session.execute(text("PRAGMA journal_mode=WAL"))
            app.logger.warning("Một dòng nhật ký")
            folder = backup.backup_folder()
            archive = backup.create_backup(os.path.join(folder, "b.zip"))
            db.session.remove()
        database = tmp_path / "site.db"
        assert private(database)
        assert private(os.path.join(app.config["LOG_DIR"], "bantin.log"))
        assert private(archive.path)
        assert private(folder)
    finally:
        os.umask(old_umask)
        with app.app_context():
            db.engine.dispose()


def test_an_existing_world_readable_database_is_made_private(tmp_path):
    database = tmp_path / "site.db"
    database.write_bytes(b"")
    os.chmod(database, 0o644)
    create_app(production_config(tmp_path, SECRET_KEY="k", TESTING=True))
    assert private(database)


def test_first_run_writes_a_random_key_once_and_keeps_it(tmp_path):
    instance = tmp_path / "instance"
    assert production.write_instance_config(str(instance)) is True
    config = Config(str(instance))
    config.from_pyfile("config.py")
    key = config["SECRET_KEY"]
    assert len(key) == 64 and key != DEFAULT_SECRET_KEY

    assert production.write_instance_config(str(instance)) is False
    again = Config(str(instance))
    again.from_pyfile("config.py")
    assert again["SECRET_KEY"] == key
    app = create_app(production_config(tmp_path, SECRET_KEY=key))
    assert app.config["SECRET_KEY"] == key


def test_two_sites_get_different_keys(tmp_path):
    keys = []
    for name in ("xa-a", "xa-b"):
        production.write_instance_config(str(tmp_path / name))
        config = Config(str(tmp_path / name))
        config.from_pyfile("config.py")
        keys.append(config["SECRET_KEY"])
    assert keys[0] != keys[1]


def test_collect_static_writes_hashed_files_with_compressed_twins_for_nginx(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["collect-static", str(tmp_path / "static")])
    assert result.exit_code == 0, result.output
    css = asset_url("css/site.css").removeprefix("/static/")
    written = tmp_path / "static" / css
    assert written.read_bytes() == (Path(app.root_path) / "static/css/site.css").read_bytes()
    assert gzip.decompress((tmp_path / "static" / (css + ".gz")).read_bytes()) == (
        written.read_bytes()
    )
    assert app.test_client().get(f"/static/{css}").get_data() == written.read_bytes()


def test_the_readme_table_lists_every_setting_with_its_default():
    """README's configuration table is settings.DOCUMENTED, row for row."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.startswith("| `")]
    documented = settings.readme_rows()
    assert [row for row in rows if row in documented] == documented
    names = {option.name for option in settings.DOCUMENTED + settings.INTERNAL}
    listed = {row.split("`")[1] for row in rows if row.split("`")[1].isupper()}
    assert listed <= names, "a README setting that settings.py does not define"


def test_every_setting_has_a_default_in_a_new_app(tmp_path):
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance")})
    for option in settings.DOCUMENTED + settings.INTERNAL:
        assert option.name in app.config, option.name
    assert app.config["MEDIA_ROOT"] == str(tmp_path / "instance" / "media")


def test_a_start_warns_once_of_a_missing_public_address_not_in_every_process(tmp_path, caplog):
    """`make serve` runs two `flask` commands, then a worker per core: one warning in all."""
    config = production_config(tmp_path, SECRET_KEY="k")
    with click.Context(click.Command("upgrade-db"), obj=ScriptInfo()):
        create_app(config)  # a `flask` command: `flask check` is where it says so
    assert "SITE_URL" not in caplog.text
    for _worker in range(3):
        create_app(config)
    assert caplog.text.count("Chưa đặt địa chỉ công khai (SITE_URL)") == 1
    # The next start, a while later, is told again.
    marker = os.path.join(config["INSTANCE_PATH"], production.WARNED_FILE)
    long_ago = os.stat(marker).st_mtime - production.ONE_START_SECONDS - 1
    os.utime(marker, (long_ago, long_ago))
    caplog.clear()
    create_app(config)
    create_app(config)
    assert caplog.text.count("Chưa đặt địa chỉ công khai (SITE_URL)") == 1
