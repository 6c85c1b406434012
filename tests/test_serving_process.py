"""What a serving process holds: a worker that answers readers imports only what their
requests need. The libraries of the desk's uploads (pypdf, Pillow, olefile, defusedxml), of
saving a body (nh3), of sending mail (smtplib), of naming sign-ins' devices (ua-parser), of
the archive imports (ftfy), of migrations (Alembic, also at /healthz) and the demo's code cost
a worker about 25 MB it never used (BENCHMARKS.md, "Lighter processes"); each is imported
where it is first needed instead, and this keeps it so."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

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
