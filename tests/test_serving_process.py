"""What a serving process holds: a worker that answers readers imports only what their
requests need. The libraries of the desk's uploads (pypdf, Pillow, olefile, defusedxml), of
saving a body (nh3), of sending mail (smtplib), of naming sign-ins' devices (ua-parser), of
the archive imports (ftfy), of migrations (Alembic, also at /healthz), the demo's code and,
on SQLite, SQLAlchemy's PostgreSQL dialect cost
a worker about 25 MB it never used (BENCHMARKS.md, "Lighter processes"); each is imported
where it is first needed instead, and this keeps it so."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Built as granian builds it (create_app) on a copy of the demo site, then a reader's pages:
# the home page, an article, a category, the search, the feed and the health check (which reads
# the schema's version without Alembic), each answered 200.
SERVE_READERS = """
import json, sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from base_config import make_config
from app import create_app
folder = Path({folder!r})
app = create_app(make_config(folder, SQLALCHEMY_DATABASE_URI="sqlite:///" + {database!r},
                             SERVER_NAME=None))
client = app.test_client()
home = client.get("/").text
article = home.split('href="/tin/', 1)[1].split('"', 1)[0]
category = home.split('href="/chuyen-muc/', 1)[1].split('"', 1)[0]
statuses = [client.get(path).status_code for path in
            ("/", "/tin/" + article, "/chuyen-muc/" + category, "/tim-kiem?q=xa", "/rss.xml",
             "/healthz")]
print(json.dumps({{"statuses": statuses, "loaded": sorted(sys.modules)}}))
"""


def serve_readers(tmp_path, demo_template) -> dict:
    database = tmp_path / "site.db"
    shutil.copyfile(demo_template.database, database)
    script = SERVE_READERS.format(tests=str(ROOT / "tests"), folder=str(tmp_path),
                                  database=str(database))  # fmt: skip
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, check=True)  # fmt: skip
    return json.loads(done.stdout.splitlines()[-1])


def test_a_worker_serving_readers_imports_no_upload_import_or_demo_library(
    tmp_path, demo_template
):
    found = serve_readers(tmp_path, demo_template)
    assert found["statuses"] == [200] * 6
    loaded = set(found["loaded"])
    libraries = {name.split(".")[0] for name in loaded}
    for library in ("pypdf", "ftfy", "wcwidth", "alembic", "mako", "flask_migrate", "PIL",
                    "nh3", "smtplib", "ua_parser", "olefile", "defusedxml"):
        assert library not in libraries, f"a reader's worker imported {library}"
    assert not {"ops.seed", "ops.seed_content", "ops.seed_pictures"} & loaded
    assert "sqlalchemy.dialects.postgresql" not in loaded, "a SQLite worker loaded PostgreSQL's"


# As `make serve` runs its workers: with PYTHONOPTIMIZE=2 (docstrings and asserts stripped).
# Readers' pages, then the desk: an editor signs in, publishes an article with a body to
# clean (nh3), and a reader finds it.
SERVE_OPTIMISED = SERVE_READERS.replace("print(json.dumps", "readers = statuses\n#") + """
import re
from desk import article_data
from models import Category, User, db
with app.app_context():
    editor = User(username="bientap", role="editor", display_name="Biên tập")
    editor.set_password("mat-khau-bien-tap")
    db.session.add(editor)
    db.session.commit()
    category = db.session.scalar(db.select(Category).order_by(Category.id))
    category_id = category.id
desk = app.test_client()
signed_in = desk.post("/admin/login", data={{"username": "bientap",
                                            "password": "mat-khau-bien-tap"}})
body = "<p>Trạm y tế <b>mở cửa</b> cả ngày thứ Bảy.<script>alert(1)</script></p>"
saved = desk.post("/admin/articles/new", data=article_data(
    category_id, title="Trạm y tế xã mở cửa thứ Bảy", slug="tram-y-te-mo-cua", body=body,
    action="publish"))
reader = app.test_client()
link = re.search(r'href="(/tin/tram-y-te-mo-cua[^"]*)"', reader.get("/").text)
page = reader.get(link[1] if link else "/tin/tram-y-te-mo-cua")
print(json.dumps({{"readers": readers, "desk": [signed_in.status_code,
                  desk.get("/admin/").status_code, saved.status_code, page.status_code],
                  "cleaned": "<script>" not in page.text and "mở cửa" in page.text,
                  "optimize": sys.flags.optimize}}))
"""


def test_a_worker_run_as_make_serve_runs_it_serves_readers_and_the_desk(tmp_path, demo_template):
    database = tmp_path / "site.db"
    shutil.copyfile(demo_template.database, database)
    script = SERVE_OPTIMISED.format(tests=str(ROOT / "tests"), folder=str(tmp_path),
                                    database=str(database))  # fmt: skip
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, "PYTHONOPTIMIZE": "2"})  # fmt: skip
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.splitlines()[-1])
    assert found["optimize"] == 2
    assert found["readers"] == [200] * 6
    assert found["desk"] == [302, 200, 302, 200]
    assert found["cleaned"]


# As granian makes a worker's app: outside tests and `flask` commands, what the start made is
# frozen out of the garbage collector's count (ops.production.freeze_start_objects).
MAKE_APP = """
import gc, sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from base_config import make_config
from app import create_app
create_app(make_config(Path({folder!r}), TESTING={testing}, SITE_URL="https://xa.example.vn"))
print(gc.get_freeze_count())
"""


@pytest.mark.parametrize("testing, frozen", [(False, True), (True, False)])
def test_a_serving_process_freezes_what_its_start_made_and_a_test_app_does_not(
    tmp_path, testing, frozen
):
    script = MAKE_APP.format(tests=str(ROOT / "tests"), folder=str(tmp_path), testing=testing)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, check=True)  # fmt: skip
    assert (int(done.stdout.split()[-1]) > 0) is frozen
