"""The province operator's commands: sites added, listed, disabled, renamed and removed, and
every other command acting on the site BANTIN_SITE names (or on every site)."""

import os

import pytest
from two_sites import HOSTS, MARKS, close_province

from app import create_app
from models import Article, Category, User, db


def run(province, *args, site=None, **kwargs):
    env = {"BANTIN_SITE": site} if site else {}
    old = os.environ.pop("BANTIN_SITE", None)
    try:
        with province.app.app_context():  # as `flask` pushes it
            result = province.app.test_cli_runner().invoke(args=list(args), env=env, **kwargs)
    finally:
        if old is not None:
            os.environ["BANTIN_SITE"] = old
    return result


def users_of(province, name):
    app = province.build(province.registry.require(name))
    with app.app_context():
        return sorted(db.session.scalars(db.select(User.username)))


def test_a_single_communes_install_has_no_registry(app, runner, tmp_path):
    result = runner.invoke(args=["site", "list"])
    assert result.exit_code == 0 and "Chưa có trang nào" in result.output
    assert not os.path.exists(app.config["SITES_DATABASE_URI"].removeprefix("sqlite:///"))


def test_site_add_makes_a_site_that_answers_at_once(fresh):
    result = run(fresh, "site", "add", "tam-thanh", "--host", "tamthanh.test",
                 "--host", "www.tamthanh.test", "--title", "Xã Tam Thanh")
    assert result.exit_code == 0, result.output
    assert "tamthanh.test" in result.output and "giây" in result.output
    for host in ("tamthanh.test", "www.tamthanh.test"):
        home = fresh.app.test_client().get("/", base_url=f"http://{host}")
        assert home.status_code == 200 and "Xã Tam Thanh" in home.get_data(as_text=True)
    listed = run(fresh, "site", "list").output
    assert "tam-thanh" in listed and "tra-leng" in listed


def test_a_new_site_begins_with_the_usual_categories(fresh):
    result = run(fresh, "site", "add", "tam-thanh", "--host", "tamthanh.test")
    assert result.exit_code == 0 and "chuyên mục thường dùng" in result.output
    app = fresh.build(fresh.registry.require("tam-thanh"))
    with app.app_context():
        names = list(db.session.scalars(db.select(Category.name).order_by(Category.position)))
    assert names[0] == "Tin tức – Sự kiện" and len(names) == 7
    home = fresh.app.test_client().get("/", base_url="http://tamthanh.test")
    assert "Văn hóa – Xã hội" in home.get_data(as_text=True)


@pytest.mark.parametrize(("args", "message"), [
    (["site", "add", "Tra Leng", "--host", "x.test"], "không hợp lệ"),
    (["site", "add", "tra-leng", "--host", "x.test"], "Đã có trang"),
    (["site", "add", "moi", "--host", "traleng.test"], "đã thuộc trang"),
    (["site", "add", "moi", "--host", "bad host"], "không hợp lệ"),
    (["site", "disable", "khong-co"], "Không có trang"),
    (["site", "rename-host", "khong.test", "a.test"], "Không trang nào"),
    (["site", "remove-host", "tra-leng", "traleng.test"], "cuối cùng"),
])
def test_site_commands_refuse_bad_requests_clearly(fresh, args, message):
    result = run(fresh, *args)
    assert result.exit_code != 0 and message in result.output
    assert "Traceback" not in result.output


def test_a_disabled_site_says_so_and_comes_back(fresh):
    client = fresh.client("tra-leng")
    assert run(fresh, "site", "disable", "tra-leng").exit_code == 0
    closed = client.get("/")
    assert closed.status_code == 503 and "tạm ngừng" in closed.get_data(as_text=True)
    assert fresh.client("hoa-son").get("/").status_code == 200
    assert run(fresh, "site", "enable", "tra-leng").exit_code == 0
    assert client.get("/").status_code == 200


def test_rename_host_moves_the_site_and_its_links(fresh):
    result = run(fresh, "site", "rename-host", "traleng.test", "traleng.danang.test")
    assert result.exit_code == 0, result.output
    client = fresh.app.test_client()
    assert client.get("/", base_url="http://traleng.test").status_code == 400
    feed = client.get("/rss.xml", base_url="http://traleng.danang.test")
    assert "https://traleng.danang.test/" in feed.get_data(as_text=True)


def test_commands_act_on_the_site_bantin_site_names(fresh):
    made = run(fresh, "create-user", "bien-tap", "--role", "editor", "--password", "mk-dai-123",
               site="hoa-son")
    assert made.exit_code == 0, made.output
    assert "bien-tap" in users_of(fresh, "hoa-son")
    assert "bien-tap" not in users_of(fresh, "tra-leng")


def test_a_site_command_without_bantin_site_asks_which(fresh):
    result = run(fresh, "create-user", "ai-do", "--password", "mk-dai-123")
    assert result.exit_code != 0 and "BANTIN_SITE" in result.output
    unknown = run(fresh, "create-user", "ai-do", "--password", "x", site="khong-co")
    assert unknown.exit_code != 0 and "Không có trang" in unknown.output


def test_upgrade_db_and_check_go_through_every_site(fresh):
    upgraded = run(fresh, "upgrade-db")
    assert upgraded.exit_code == 0, upgraded.output
    assert "== hoa-son" in upgraded.output and "== tra-leng" in upgraded.output
    assert "Xong 2/2 trang." in upgraded.output
    checked = run(fresh, "check")
    assert "== hoa-son" in checked.output and "Xong" in checked.output
    one = run(fresh, "upgrade-db", site="tra-leng")
    assert one.exit_code == 0 and "== " not in one.output


def test_backup_all_and_restore_one_site(fresh, tmp_path):
    """SQLite sites back up into one zip each; PostgreSQL sites into a pg_dump and a media zip."""
    backed = run(fresh, "backup", "--all")
    assert backed.exit_code == 0, backed.output
    assert backed.output.count("Đã sao lưu vào") == 2
    site = fresh.registry.require("tra-leng")
    folder = fresh.build(site).config["BACKUP_DIR"]
    made = sorted(n for n in os.listdir(folder) if n.endswith((".pgdump", ".zip"))
                  and not n.endswith("-media.zip"))
    archive = os.path.join(folder, made[-1])
    app = fresh.build(site)
    with app.app_context():
        db.session.execute(db.delete(Article))
        db.session.commit()
    restored = run(fresh, "restore", archive, "--site", "tra-leng", "--yes")
    assert restored.exit_code == 0, restored.output
    page = fresh.client("tra-leng").get(f"/tin/x-{fresh.ids['tra-leng']['article']}",
                                        follow_redirects=True)
    assert MARKS["tra-leng"] in page.get_data(as_text=True)


def test_site_remove_needs_a_fresh_backup_then_drops_only_that_site(fresh):
    if not fresh.registry.on_postgresql:  # PostgreSQL sites are dumped by `site remove`
        refused = run(fresh, "site", "remove", "tra-leng", "--yes")
        assert refused.exit_code != 0 and "sao lưu" in refused.output
        assert run(fresh, "backup", site="tra-leng").exit_code == 0
    removed = run(fresh, "site", "remove", "tra-leng", "--yes")
    assert removed.exit_code == 0, removed.output
    assert fresh.app.test_client().get("/", base_url=f"http://{HOSTS['tra-leng']}").status_code \
        == 400
    assert fresh.client("hoa-son").get("/").status_code == 200
    assert [s.name for s in fresh.registry.sites()] == ["hoa-son"]
    backups = os.listdir(os.path.join(fresh.config["INSTANCE_PATH"], "sites", "tra-leng",
                                      "backups"))
    assert any(name.endswith((".zip", ".pgdump")) for name in backups), "the backup stays"


def test_a_new_process_sees_the_province(fresh):
    """Another server process (a fresh create_app) serves the same sites by host."""
    other = create_app(fresh.config)
    home = other.test_client().get("/", base_url=f"http://{HOSTS['hoa-son']}")
    assert MARKS["hoa-son"] in home.get_data(as_text=True)
    assert other.test_client().get("/healthz").get_data(as_text=True) == "ok"
    close_province(other)


def test_province_hosts_from_the_environment_are_a_list_of_names(fresh):
    """FLASK_PROVINCE_HOSTS arrives as one string: each name in it is the province's own."""
    other = create_app(fresh.config | {"PROVINCE_HOSTS": "tinh.test, www.tinh.test"})
    client = other.test_client()
    for host in ("tinh.test", "www.tinh.test"):
        assert client.get("/", base_url=f"http://{host}").status_code == 200, host
    assert client.get("/", base_url="http://t.test").status_code == 400
    close_province(other)


def test_make_serves_commands_run_in_a_province_without_bantin_site(fresh, tmp_path):
    """`make serve` runs upgrade-db (every site) and collect-static (the install's files)."""
    assert run(fresh, "upgrade-db").exit_code == 0
    collected = run(fresh, "collect-static", str(tmp_path / "static"))
    assert collected.exit_code == 0, collected.output
    assert any(name.endswith(".css") for name in os.listdir(tmp_path / "static" / "css"))


def test_serve_env_puts_a_provinces_heap_on_huge_pages_without_bantin_site(fresh, monkeypatch):
    """`make serve` reads its workers' environment from `flask serve-env`: in a province the
    heap goes on 2 MB pages (hot pages across 150 sites), whatever site BANTIN_SITE names."""
    for name in ("PYTHONOPTIMIZE", "MALLOC_MMAP_THRESHOLD_", "GLIBC_TUNABLES"):
        monkeypatch.delenv(name, raising=False)  # serve-env leaves out what is set already
    result = run(fresh, "serve-env")
    assert result.exit_code == 0, result.output
    printed = result.output.split()
    assert "GLIBC_TUNABLES=glibc.malloc.hugetlb=1" in printed
    assert "PYTHONOPTIMIZE=2" in printed
