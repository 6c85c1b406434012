import gzip
from pathlib import Path

import pytest
from flask import Config

import settings
from app import create_app
from ops import production
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


def test_debug_start_may_use_the_development_key(tmp_path):
    app = create_app(production_config(tmp_path, SECRET_KEY=DEFAULT_SECRET_KEY, DEBUG=True))
    assert app.debug


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
