"""Importing a NukeViet 4 site from its MySQL dump: the news module and the laws module.

NukeViet (nukeviet/nukeviet, 4.x) ran most commune and district portals before July 2025. A
hosting panel exports its database as a mysqldump file; `ops.sqldump` reads it without a
MySQL server. Two passes over the file:

1. the small tables: the modules list (which module is news or laws, and under which name
   its addresses and uploads live), the site's rewrite settings, every news module's
   categories, sources, authors and article rows (`*_news_rows`), and the laws module's
   documents with their types, issuers, signers and fields;
2. the articles' bodies (`*_news_detail`, which mysqldump writes before `*_news_rows`, so the
   rows are joined to the bodies as the bodies stream past).

Statuses follow NukeViet 4.5 (modules/news/language/vi.php): 1 published, 2 scheduled and 3
expired become published articles whose times say when readers see them; 5, 7, 8 and 10 (on
the way to review or publication) become "Chờ duyệt"; 0, 4, 6 and 9 (stopped, saved, refused)
become drafts. Only what readers could see gets its old addresses: every form NukeViet
generated (`/vi/news/<cat>/<alias>-<id>.html`, without the language, without the module when
news was the home module, and `index.php?language=vi&nv=news&op=...`) answers 301.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from media import uploads
from models import (
    DRAFT,
    PENDING,
    PUBLISHED,
    TITLE_MAX,
    Article,
    Attachment,
    Category,
    Document,
    db,
    utcnow,
)
from ops import importing, sqldump
from ops.importing import ImportRefused, Options, Report
from vietnamese import shorten, slugify

SOURCE = "nukeviet"
UNTITLED = "Bài không có tiêu đề"
ARTICLE_SUFFIX = ".html"
PUBLISHED_CODES = {1, 2, 3}
PENDING_CODES = {5, 7, 8, 10}
STATUS_NAMES = {2: "tin hẹn giờ", 3: "tin hết hạn", 0: "tin ngưng hiệu lực",
                4: "bản lưu tạm", 6: "tin bị từ chối", 9: "tin bị từ chối"}  # fmt: skip
# Tables read in the first pass, by the last part of their name.
SMALL_TABLES = {"modules", "config", "cat", "rows", "sources", "authorlist", "row", "subject",
                "signer", "area"}  # fmt: skip
# Column orders of NukeViet 4.5's installer, for a dump made with --no-create-info.
KNOWN_COLUMNS = {
    "rows": (
        "id", "catid", "listcatid", "topicid", "admin_id", "author", "sourceid", "addtime",
        "edittime", "status", "weight", "publtime", "exptime", "archive", "title", "alias",
        "hometext", "homeimgfile", "homeimgalt", "homeimgthumb", "inhome", "allowed_comm",
        "allowed_rating", "external_link", "hitstotal", "hitscm", "total_rating",
        "click_rating", "instant_active", "instant_template", "instant_creatauto",
    ),
    "detail": (
        "id", "titlesite", "description", "bodyhtml", "voicedata", "keywords", "sourcetext",
        "files", "imgposition", "layout_func", "copyright", "allowed_send", "allowed_print",
        "allowed_save",
    ),
    "cat": (
        "catid", "parentid", "title", "titlesite", "alias", "description", "descriptionhtml",
        "image", "viewdescription", "weight", "sort", "lev", "viewcat", "numsubcat",
        "subcatid", "numlinks", "newday", "featured", "ad_block_cat", "layout_func",
        "keywords", "admins", "add_time", "edit_time", "groups_view", "status",
    ),
    "sources": ("sourceid", "title", "link", "logo", "weight", "add_time", "edit_time"),
    "authorlist": ("id", "aid", "alias", "pseudonym"),
    "modules": (
        "title", "module_file", "module_data", "module_upload", "module_theme", "custom_title",
        "admin_title", "set_time", "main_file", "admin_file", "theme", "mobile", "description",
        "keywords", "groups_view", "weight", "act", "admins", "rss", "sitemap",
    ),
    "config": ("lang", "module", "config_name", "config_value"),
    # The laws module (nukeviet/module-laws).
    "row": (
        "id", "replacement", "relatement", "title", "alias", "code", "area_ids", "cid", "sid",
        "eid", "sgid", "note", "introtext", "bodytext", "keywords", "groups_view",
        "groups_download", "files", "status", "approval", "addtime", "edittime", "publtime",
        "start_comm_time", "end_comm_time", "startvalid", "exptime", "view_hits",
        "download_hits", "admin_add", "admin_edit",
    ),
    "subject": ("id", "alias", "title", "introduction", "keywords", "numcount", "numlink",
                "addtime", "weight"),
    "signer": ("id", "title", "offices", "positions", "addtime"),
    "area": ("id", "parentid", "alias", "title", "introduction", "keywords", "addtime", "weight",
             "sort", "lev", "numsubcat", "subcatid"),
}  # fmt: skip
# The laws module's categories have columns of their own, beside news's "cat".
LAWS_CAT_COLUMNS = ("id", "parentid", "alias", "title", "introduction", "keywords", "newday",
                    "addtime", "weight")  # fmt: skip
KNOWN = {kind: [columns] for kind, columns in KNOWN_COLUMNS.items()}
KNOWN["cat"].append(LAWS_CAT_COLUMNS)
NO_MODULES = (
    "Không tìm thấy mô-đun tin tức (bảng *_news_rows và *_news_detail) hay văn bản (*_laws_row) "
    "nào trong tệp: đây không phải bản sao cơ sở dữ liệu của một trang NukeViet 4, hoặc tệp "
    "chỉ có một phần. Hãy xuất lại toàn bộ cơ sở dữ liệu (phpMyAdmin: Export, định dạng SQL)."
)


@dataclass
class Module:
    """A news or laws module: its name in addresses, its tables' infix, its uploads folder."""

    name: str
    data: str
    upload: str
    kind: str = "news"


@dataclass
class Dump:
    """What the first pass keeps: small tables' rows by table name, every table's name."""

    rows: dict[str, list[dict]] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)


@dataclass
class Site:
    """The NukeViet site the dump holds: prefix, language, modules and how addresses read."""

    prefix: str
    lang: str
    modules: list[Module]
    home_module: str | None  # rewrite_op_mod: the module whose name addresses leave out
    dump: Dump

    def table(self, module: Module, suffix: str) -> str:
        return f"{self.prefix}_{self.lang}_{module.data}_{suffix}"

    def rows(self, module: Module, suffix: str) -> list[dict]:
        return self.dump.rows.get(self.table(module, suffix), [])


# --- The first pass: which site, which modules -------------------------------------------------


def suffix_of(table: str) -> str:
    return table.rsplit("_", 1)[-1]


def open_reader(path: str, on_progress=None):
    handle = open(path, "rb")  # noqa: SIM115 - closed by the caller's with
    return handle, sqldump.Reader(handle, on_progress)


def read_small_tables(path: str, on_progress=None) -> Dump:
    """Read every small table's rows; note every table's name."""
    dump = Dump()
    tables = sqldump.Tables(KNOWN)

    def keep(table: str) -> bool:
        dump.names.add(table)
        return suffix_of(table) in SMALL_TABLES

    handle, reader = open_reader(path, on_progress)
    with handle:
        for statement in reader.wanted(keep):
            rows = dump.rows.setdefault(statement.table, [])
            rows.extend(tables.rows(statement, suffix_of(statement.table)))
    return dump


def languages(dump: Dump) -> dict[tuple[str, str], list[dict]]:
    """Return the modules tables found, by (prefix, language), with their rows."""
    found = {}
    for name in dump.names:
        match = re.fullmatch(r"(.+)_([a-z]{2})_modules", name)
        if match:
            found[match[1], match[2]] = dump.rows.get(name, [])
    return found


def guessed_modules(dump: Dump) -> dict[tuple[str, str], list[Module]]:
    """Without a modules table: news modules from *_rows beside *_detail, laws from *_row."""
    found: dict[tuple[str, str], list[Module]] = {}
    for name in sorted(dump.names):
        match = re.fullmatch(r"(.+?)_([a-z]{2})_(\w+)_rows", name)
        if match and f"{name[:-5]}_detail" in dump.names:
            found.setdefault((match[1], match[2]), []).append(Module(match[3], match[3], match[3]))
        match = re.fullmatch(r"(.+?)_([a-z]{2})_(\w+)_row", name)
        if match and f"{name[:-4]}_signer" in dump.names:
            found.setdefault((match[1], match[2]), []).append(
                Module(match[3], match[3], match[3], "laws"))
    return found


def listed_modules(rows: list[dict], dump: Dump, prefix: str, lang: str) -> list[Module]:
    """Return the news and laws modules a modules table lists and the dump holds."""
    modules = []
    for row in rows:
        kind = str(row.get("module_file", ""))
        data = str(row.get("module_data") or row.get("title", ""))
        if kind == "news" and f"{prefix}_{lang}_{data}_rows" in dump.names:
            modules.append(Module(str(row["title"]), data, str(row.get("module_upload") or data)))
        elif kind == "laws" and f"{prefix}_{lang}_{data}_row" in dump.names:
            modules.append(Module(str(row["title"]), data, str(row.get("module_upload") or data),
                                  "laws"))  # fmt: skip
    return modules


def home_module(dump: Dump, prefix: str) -> str | None:
    """Return the module NukeViet left out of addresses (rewrite_op_mod), if the dump says."""
    for row in dump.rows.get(f"{prefix}_config", []):
        if row.get("config_name") == "rewrite_op_mod" and row.get("lang") in ("sys", None):
            return str(row.get("config_value") or "") or None
    return None


def choose(found: dict[tuple[str, str], list[Module]], language: str | None):
    """Pick the (prefix, language) to import: the one asked for, else Vietnamese, else the
    only one; refuse when the choice is not clear."""
    found = {key: modules for key, modules in found.items() if modules}
    if not found:
        raise ImportRefused(NO_MODULES)
    if language:
        chosen = [key for key in found if key[1] == language]
        if not chosen:
            have = ", ".join(sorted({key[1] for key in found}))
            raise ImportRefused(f"Tệp không có ngôn ngữ “{language}”; chỉ có: {have}.")
    else:
        chosen = [key for key in found if key[1] == "vi"] or list(found)
    if len(chosen) > 1:
        have = ", ".join(f"{p}_{lang}" for p, lang in sorted(chosen))
        raise ImportRefused(f"Tệp có nhiều trang NukeViet ({have}); hãy chọn bằng --language.")
    return chosen[0], found[chosen[0]]


def detect(dump: Dump, language: str | None) -> Site:
    """Find the prefix, language and modules of the site in the dump."""
    found = {key: listed_modules(rows, dump, *key) for key, rows in languages(dump).items()}
    if not any(found.values()):
        found = guessed_modules(dump)
    (prefix, lang), modules = choose(found, language)
    return Site(prefix, lang, modules, home_module(dump, prefix), dump)


# --- Values as NukeViet stores them ------------------------------------------------------------


def text(value) -> str:
    """Return a stored title or name as plain text (NukeViet stores them HTML-escaped)."""
    return re.sub(r"\s+", " ", html.unescape(str(value or ""))).strip()


def number(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def moment(value) -> datetime | None:
    """Return a NukeViet time (seconds since 1970, 0 for none) as an aware UTC datetime."""
    seconds = number(value)
    if seconds <= 0:
        return None
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None


@dataclass
class Status:
    status: str
    publish_at: datetime | None
    expire_at: datetime | None
    visible: bool


def status_of(row: dict, now: datetime) -> Status:
    """Map NukeViet 4.5's article status (0–10) and times onto ours."""
    code = number(row.get("status"))
    published = moment(row.get("publtime")) or moment(row.get("addtime")) or now
    expires = moment(row.get("exptime"))
    if code in PUBLISHED_CODES:
        if code == 3 and (expires is None or expires > now):
            expires = min(published, now)
        visible = published <= now and (expires is None or expires > now)
        return Status(PUBLISHED, published, expires, visible)
    state = PENDING if code in PENDING_CODES else DRAFT
    return Status(state, None, None, False)


# --- Old addresses ----------------------------------------------------------------------------


def old_addresses(site: Site, module: Module, op: str, suffix: str = "") -> list[str]:
    """Every address NukeViet gave `op` of a module: with and without the language, without
    the module when it was the home module (or when the dump does not say), and the
    index.php query form that works whatever the rewrite settings."""
    tail = f"{op}{suffix}"
    modules = [f"{module.name}/"]
    if site.home_module in (None, module.name):
        modules.append("")
    paths = [f"/{lang}{name}{tail}" for lang in (f"{site.lang}/", "") for name in modules]
    query = f"/index.php?language={site.lang}&nv={module.name}"
    paths.append(f"{query}&op={tail}" if tail else query)
    return paths


# --- The second pass: the import itself -------------------------------------------------------


class Importer(importing.ArchiveImporter):
    """Make categories, articles and documents inside the one transaction."""

    def __init__(self, site: Site, options: Options, report: Report):
        super().__init__(f"{SOURCE} {site.prefix}_{site.lang}", SOURCE, options, report,
                         marker="/uploads/")  # fmt: skip
        self.site = site
        self.options = options
        self.now = utcnow()
        self.category_ids: dict[tuple[str, int], int | None] = {}
        self.made_slugs: dict[str, int] = {}
        self.cat_alias: dict[tuple[str, int], str] = {}
        self.fallback: int | None = None

    # Categories

    def make_categories(self, module: Module) -> None:
        rows = sorted(self.site.rows(module, "cat"),
                      key=lambda r: (number(r.get("lev")), number(r.get("sort")),
                                     number(r.get("weight"))))  # fmt: skip
        for row in rows:
            self.category(module, row)

    def category(self, module: Module, row: dict) -> None:
        """Make (or find) a category and point its old addresses at it."""
        cat_id = number(row.get("catid"))
        name = text(row.get("title"))[:120] or importing.DEFAULT_CATEGORY
        alias = str(row.get("alias") or "")
        self.cat_alias[module.data, cat_id] = alias
        key = f"{module.data}:cat:{cat_id}"
        known = self.ledger.remembered(key, "category")
        slug = db.session.scalar(db.select(Category.slug).where(Category.id == known)) if known \
            else None
        if slug is None:
            known, slug = self.new_category(module, row, name, alias, key)
        self.category_ids[module.data, cat_id] = known
        target = importing.local_path("public.category", slug=slug) if known else f"({name})"
        for old in old_addresses(self.site, module, alias):
            self.ledger.redirect(old, target)

    def new_category(self, module: Module, row: dict, name: str, alias: str, key: str):
        """Return (id, slug) of a new category, or of one the site has under the same slug
        (id None in a dry run, where nothing is made)."""
        slug = slugify(alias or name, max_length=120)
        existing = self.made_slugs.get(slug) or db.session.scalar(
            db.select(Category.id).where(Category.slug == slug))
        if existing is not None:
            self.report.add("chuyên mục đã có")
            return existing, slug
        self.report.add("chuyên mục mới")
        if self.report.dry_run:
            self.made_slugs[slug] = 0
            return None, slug
        parent_id = self.category_ids.get((module.data, number(row.get("parentid"))))
        position = number(row.get("sort")) or number(row.get("weight"))
        category = Category(name=name, slug=slug, position=position,
                            description=importing.plain(str(row.get("description") or ""))[:2000],
                            parent_id=parent_id or None)  # fmt: skip
        db.session.add(category)
        db.session.flush()
        self.ledger.remember(key, "category", category.id)
        self.made_slugs[slug] = category.id
        return category.id, slug

    def category_id(self, module: Module, cat_id: int) -> int:
        found = self.category_ids.get((module.data, cat_id))
        if found:
            return found
        if self.fallback is None:
            self.fallback = importing.Categories(self.report).id_for(importing.DEFAULT_CATEGORY)
        return self.fallback

    # Articles

    def sources(self, module: Module) -> dict[int, str]:
        return {number(r.get("sourceid")): text(r.get("title"))
                for r in self.site.rows(module, "sources")}  # fmt: skip

    def authors(self, module: Module) -> dict[int, str]:
        names: dict[int, list[str]] = {}
        for row in self.site.rows(module, "authorlist"):
            names.setdefault(number(row.get("id")), []).append(text(row.get("pseudonym")))
        return {key: ", ".join(n for n in value if n) for key, value in names.items()}

    def article(self, module: Module, row: dict, detail: dict, extra: dict) -> None:
        old_id = number(row.get("id"))
        key = f"{module.data}:{old_id}"
        if self.seen(key, "article"):
            return
        label = f"#{old_id} {text(row.get('title'))[:80]}"
        self.make(label, lambda: self.make_article(module, row, detail, extra, key))

    def make_article(self, module: Module, row: dict, detail: dict, extra: dict, key: str):
        title = text(row.get("title"))[:TITLE_MAX] or UNTITLED
        state = status_of(row, self.now)
        body, body_text = self.body(str(detail.get("bodyhtml") or ""))
        summary = importing.summary_or_lead(importing.plain(str(row.get("hometext") or "")),
                                            body_text, self.report)  # fmt: skip
        picture, alt = self.lead_image(module, row, title)
        self.count_status(row, state)
        cat_alias = self.cat_alias.get((module.data, number(row.get("catid"))), "")
        links = []
        if state.visible and cat_alias:
            op = f"{cat_alias}/{row.get('alias')}-{number(row.get('id'))}"
            links = old_addresses(self.site, module, op, ARTICLE_SUFFIX)
        files = self.attachments(module, detail)

        def article() -> Article:
            return with_files(Article(
                title=title, slug=slugify(str(row.get("alias") or "") or title),
                summary=shorten(summary, importing.SUMMARY_MAX), body=body, body_text=body_text,
                category_id=self.category_id(module, number(row.get("catid"))),
                author=self.author(row, extra)[:120],
                source=extra["sources"].get(number(row.get("sourceid")), "")[:TITLE_MAX],
                status=state.status, publish_at=state.publish_at, expire_at=state.expire_at,
                created_at=moment(row.get("addtime")) or self.now,
                updated_at=moment(row.get("edittime")) or moment(row.get("addtime")) or self.now,
                image_id=picture.id if picture else None,
                image_alt=alt[:TITLE_MAX] if picture else "",
                image_caption=text(row.get("homeimgalt"))[:500] if picture else "",
            ), files)  # fmt: skip

        self.keep(article, key, "article", links, f"(bài {key})")

    def author(self, row: dict, extra: dict) -> str:
        return text(row.get("author")) or extra["authors"].get(number(row.get("id")), "")

    def count_status(self, row: dict, state: Status) -> None:
        self.report.add("tin bài")
        code = number(row.get("status"))
        if code in STATUS_NAMES:
            self.report.add(STATUS_NAMES[code])
        elif state.status == PENDING:
            self.report.add("tin chờ duyệt")

    def body(self, bodyhtml: str) -> tuple[str, str]:
        if not bodyhtml.strip():
            return "", ""
        return importing.clean_body(importing.rewrite_images(bodyhtml, self.images))

    def lead_image(self, module: Module, row: dict, title: str):
        """The article's picture: a file under uploads/<module>/ or, for homeimgthumb 3, an
        address elsewhere (fetched only with --fetch)."""
        name = str(row.get("homeimgfile") or "").strip()
        if not name:
            return None, ""
        alt = text(row.get("homeimgalt")) or title
        if number(row.get("homeimgthumb")) == 3 or importing.is_url(name):
            return self.images.picture(name), alt
        relative = f"{module.upload}/{name.lstrip('/')}"
        return self.images.picture(f"/uploads/{relative}", relative, os.path.basename(name)), alt

    def attachments(self, module: Module, detail: dict) -> list[tuple]:
        """Store the files an article offers for download (uploads/<module>/<file>)."""
        return self.files(module, str(detail.get("files") or ""))

    def files(self, module: Module, listed: str) -> list[tuple]:
        stored = []
        for name in (part.strip() for part in listed.split(",")):
            if not name:
                continue
            data = self.file_data(module, name)
            if data is None:
                continue
            self.report.add("tệp đính kèm")
            if self.report.dry_run:
                continue
            try:
                media = uploads.store_file(data, os.path.basename(name))
            except uploads.Rejected as err:
                self.report.problem(name, str(err))
                continue
            stored.append((media, os.path.basename(name)))
        return stored

    def file_data(self, module: Module, name: str) -> bytes | None:
        relative = name if importing.is_url(name) else f"{module.upload}/{name.lstrip('/')}"
        path = self.images.local_file(relative) if not importing.is_url(name) else None
        if path is None:
            where = "trong thư mục uploads" if self.images.root else "(chưa chỉ thư mục --uploads)"
            self.report.problem(name, f"Không có tệp đính kèm {where}; tệp bị bỏ qua.")
            return None
        with open(path, "rb") as handle:
            return handle.read(uploads.limit("MEDIA_MAX_FILE_BYTES") + 1)

    # Documents (the laws module)

    def documents(self, module: Module) -> None:
        names = {suffix: {number(r.get("id")): r for r in self.site.rows(module, suffix)}
                 for suffix in ("cat", "subject", "signer", "area")}  # fmt: skip
        for row in self.site.rows(module, "row"):
            self.document(module, row, names)
            if len(self.waiting) >= importing.BATCH:
                self.end_batch()
        self.end_batch()
        for old in old_addresses(self.site, module, ""):
            self.ledger.redirect(old, importing.local_path("public.documents_list"))
        self.ledger.write()

    def document(self, module: Module, row: dict, names: dict) -> None:
        key = f"{module.data}:law:{number(row.get('id'))}"
        if self.seen(key, "document"):
            return
        if number(row.get("status")) != 1:
            self.report.problem(f"Văn bản {text(row.get('code'))}", "Văn bản đang ẩn: không nhập.")
            return
        self.report.add("văn bản")
        links = old_addresses(self.site, module, f"detail/{row.get('alias')}")
        files = self.files(module, str(row.get("files") or ""))
        self.keep(lambda: with_files(Document(**self.document_fields(row, names)), files), key,
                  "document", links, f"(văn bản {key})")  # fmt: skip

    def target_of(self, row: Article | Document) -> str:
        if isinstance(row, Document):
            return importing.local_path("public.document", document_id=row.id,
                                        slug=slugify(row.number or "van-ban", max_length=60))
        return super().target_of(row)

    def document_fields(self, row: dict, names: dict) -> dict:
        def title_of(table: str, value) -> str:
            return text(names[table].get(number(value), {}).get("title"))

        areas = [title_of("area", part) for part in str(row.get("area_ids") or "").split(",")]
        return {
            "number": text(row.get("code"))[:100],
            "title": text(row.get("title")) or text(row.get("introtext")),
            "doc_type": title_of("cat", row.get("cid"))[:100],
            "issuer": title_of("subject", row.get("sid"))[:TITLE_MAX],
            "signer": title_of("signer", row.get("sgid"))[:120],
            "field": ", ".join(a for a in areas if a)[:120],
            "issued_on": self.local_date(row.get("publtime")),
            "effective_on": self.local_date(row.get("startvalid")),
            "expires_on": self.local_date(row.get("exptime")),
        }

    def local_date(self, value):
        found = moment(value)
        return found.astimezone(self.zone).date() if found else None


def with_files(row: Article | Document, files: list[tuple]) -> Article | Document:
    """Attach the stored files (media, name) to an article or document, in their order."""
    for position, (media, name) in enumerate(files):
        row.attachments.append(Attachment(media_id=media.id, title=name[:255], position=position))
    return row


def stream_bodies(path: str, site: Site, importer: Importer, on_progress=None) -> None:
    """The second pass: each article as its body streams past, then those without a body."""
    news = [module for module in site.modules if module.kind == "news"]
    by_table = {site.table(module, "detail"): module for module in news}
    rows = {module.data: {number(r.get("id")): r for r in site.rows(module, "rows")}
            for module in news}  # fmt: skip
    extras = {module.data: {"sources": importer.sources(module),
                            "authors": importer.authors(module)} for module in news}  # fmt: skip
    tables = sqldump.Tables(KNOWN)
    handle, reader = open_reader(path, on_progress)
    with handle:
        for statement in reader.wanted(lambda name: name in by_table):
            module = by_table[statement.table]
            for detail in tables.rows(statement, "detail"):
                row = rows[module.data].pop(number(detail.get("id")), None)
                if row is not None:
                    importer.article(module, row, detail, extras[module.data])
    for module in news:
        for row in rows[module.data].values():
            importer.article(module, row, {}, extras[module.data])
    if reader.undecodable:
        importer.report.problem(path, "Một số ký tự không phải UTF-8 đã được thay bằng “�”.")


def import_file(path: str, options: Options, on_progress=None, language: str | None = None):
    """Import a NukeViet dump in one transaction (nothing at all in a dry run)."""
    report = Report(dry_run=options.dry_run)
    if os.path.getsize(path) > importing.MAX_FILE_BYTES:
        raise ImportRefused(f"Tệp quá lớn: tối đa {importing.MAX_FILE_BYTES // 1024**3} GB.")
    try:
        site = detect(read_small_tables(path, on_progress), language)
    except sqldump.DumpError as err:
        raise ImportRefused(str(err)) from err
    importer = Importer(site, options, report)

    def work() -> None:
        try:
            for module in site.modules:
                if module.kind == "news":
                    importer.make_categories(module)
            stream_bodies(path, site, importer, on_progress)
            importer.end_batch()
            for module in site.modules:
                if module.kind == "laws":
                    importer.documents(module)
            importer.ledger.write()
        except sqldump.DumpError as err:
            raise ImportRefused(str(err)) from err
        if not sum(report.counts[name] for name in ("tin bài", "văn bản", "đã nhập lần trước")):
            raise ImportRefused(
                "Tệp có trang NukeViet nhưng không có bài viết hay văn bản nào để nhập."
            )

    return importer.run(f"NukeViet {site.prefix}_{site.lang}", work)
