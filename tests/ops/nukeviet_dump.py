"""Build a NukeViet 4.5 site's database dump, as a hosting panel exports it, for the tests and
the benchmark of `flask import-nukeviet`.

The tables are those NukeViet 4.5.05's installer creates (install/action_mysql.php,
includes/action_mysql.php, modules/news/action_mysql.php) and the laws module's
(nukeviet/module-laws, modules/laws/action_mysql.php), column for column and in their order;
the text is our own invented commune news. Three shapes of file: `mysqldump` (what cPanel and
DirectAdmin give: one extended INSERT per line, comments, LOCK TABLES, versioned comments),
`phpmyadmin` (column lists, one row per line, quotes doubled) and `data-only`
(mysqldump --no-create-info: no CREATE TABLE, so the importer must know the columns).
"""

from __future__ import annotations

from dataclasses import dataclass, field

PREFIX = "nv4"

NEWS_TABLES = {
    "cat": [
        ("catid", "smallint(5) unsigned NOT NULL AUTO_INCREMENT"),
        ("parentid", "smallint(5) unsigned NOT NULL DEFAULT '0'"),
        ("title", "varchar(250) NOT NULL"), ("titlesite", "varchar(250) DEFAULT ''"),
        ("alias", "varchar(250) NOT NULL DEFAULT ''"), ("description", "text"),
        ("descriptionhtml", "text"), ("image", "varchar(255) DEFAULT ''"),
        ("viewdescription", "tinyint(2) NOT NULL DEFAULT '0'"),
        ("weight", "smallint(5) unsigned NOT NULL DEFAULT '0'"),
        ("sort", "smallint(5) NOT NULL DEFAULT '0'"), ("lev", "smallint(5) NOT NULL DEFAULT '0'"),
        ("viewcat", "varchar(50) NOT NULL DEFAULT 'viewcat_page_new'"),
        ("numsubcat", "smallint(5) NOT NULL DEFAULT '0'"), ("subcatid", "varchar(255) DEFAULT ''"),
        ("numlinks", "tinyint(2) unsigned NOT NULL DEFAULT '3'"),
        ("newday", "tinyint(2) unsigned NOT NULL DEFAULT '2'"),
        ("featured", "int(11) NOT NULL DEFAULT '0'"),
        ("ad_block_cat", "varchar(255) NOT NULL DEFAULT ''"),
        ("layout_func", "varchar(100) NOT NULL DEFAULT ''"), ("keywords", "text"),
        ("admins", "text"), ("add_time", "int(11) unsigned NOT NULL DEFAULT '0'"),
        ("edit_time", "int(11) unsigned NOT NULL DEFAULT '0'"),
        ("groups_view", "varchar(255) DEFAULT ''"), ("status", "smallint(4) NOT NULL DEFAULT '1'"),
    ],
    "detail": [
        ("id", "int(11) unsigned NOT NULL"), ("titlesite", "varchar(255) NOT NULL DEFAULT ''"),
        ("description", "text NOT NULL"), ("bodyhtml", "longtext NOT NULL"),
        ("voicedata", "text"), ("keywords", "varchar(255) DEFAULT ''"),
        ("sourcetext", "varchar(255) DEFAULT ''"), ("files", "text"),
        ("imgposition", "tinyint(1) NOT NULL DEFAULT '1'"),
        ("layout_func", "varchar(100) DEFAULT ''"),
        ("copyright", "tinyint(1) NOT NULL DEFAULT '0'"),
        ("allowed_send", "tinyint(1) NOT NULL DEFAULT '0'"),
        ("allowed_print", "tinyint(1) NOT NULL DEFAULT '0'"),
        ("allowed_save", "tinyint(1) NOT NULL DEFAULT '0'"),
    ],
    "rows": [
        ("id", "int(11) unsigned NOT NULL AUTO_INCREMENT"),
        ("catid", "smallint(5) unsigned NOT NULL DEFAULT '0'"),
        ("listcatid", "varchar(255) NOT NULL DEFAULT ''"),
        ("topicid", "smallint(5) unsigned NOT NULL DEFAULT '0'"),
        ("admin_id", "mediumint(8) unsigned NOT NULL DEFAULT '0'"),
        ("author", "varchar(250) DEFAULT ''"), ("sourceid", "mediumint(8) NOT NULL DEFAULT '0'"),
        ("addtime", "int(11) unsigned NOT NULL DEFAULT '0'"),
        ("edittime", "int(11) unsigned NOT NULL DEFAULT '0'"),
        ("status", "tinyint(4) NOT NULL DEFAULT '1'"),
        ("weight", "int(11) unsigned NOT NULL DEFAULT '0'"),
        ("publtime", "int(11) unsigned NOT NULL DEFAULT '0'"),
        ("exptime", "int(11) unsigned NOT NULL DEFAULT '0'"),
        ("archive", "tinyint(1) unsigned NOT NULL DEFAULT '0'"),
        ("title", "varchar(250) NOT NULL DEFAULT ''"),
        ("alias", "varchar(250) NOT NULL DEFAULT ''"),
        ("hometext", "text NOT NULL"), ("homeimgfile", "varchar(255) DEFAULT ''"),
        ("homeimgalt", "varchar(255) DEFAULT ''"),
        ("homeimgthumb", "tinyint(4) NOT NULL DEFAULT '0'"),
        ("inhome", "tinyint(1) unsigned NOT NULL DEFAULT '0'"),
        ("allowed_comm", "varchar(255) DEFAULT ''"),
        ("allowed_rating", "tinyint(1) unsigned NOT NULL DEFAULT '0'"),
        ("external_link", "tinyint(1) unsigned NOT NULL DEFAULT '0'"),
        ("hitstotal", "mediumint(8) unsigned NOT NULL DEFAULT '0'"),
        ("hitscm", "mediumint(8) unsigned NOT NULL DEFAULT '0'"),
        ("total_rating", "int(11) NOT NULL DEFAULT '0'"),
        ("click_rating", "int(11) NOT NULL DEFAULT '0'"),
        ("instant_active", "tinyint(1) NOT NULL DEFAULT '0'"),
        ("instant_template", "varchar(100) NOT NULL DEFAULT ''"),
        ("instant_creatauto", "tinyint(1) NOT NULL DEFAULT '0'"),
    ],
    "sources": [
        ("sourceid", "mediumint(8) unsigned NOT NULL AUTO_INCREMENT"),
        ("title", "varchar(250) NOT NULL DEFAULT ''"), ("link", "varchar(255) DEFAULT ''"),
        ("logo", "varchar(255) DEFAULT ''"),
        ("weight", "mediumint(8) unsigned NOT NULL DEFAULT '0'"),
        ("add_time", "int(11) unsigned NOT NULL"), ("edit_time", "int(11) unsigned NOT NULL"),
    ],
    "authorlist": [
        ("id", "int(11) NOT NULL"), ("aid", "mediumint(8) NOT NULL"),
        ("alias", "varchar(100) NOT NULL DEFAULT ''"),
        ("pseudonym", "varchar(100) NOT NULL DEFAULT ''"),
    ],
    "tags": [
        ("tid", "mediumint(8) unsigned NOT NULL AUTO_INCREMENT"),
        ("numnews", "mediumint(8) NOT NULL DEFAULT '0'"),
        ("title", "varchar(250) NOT NULL DEFAULT ''"),
        ("alias", "varchar(250) NOT NULL DEFAULT ''"),
        ("image", "varchar(255) DEFAULT ''"), ("description", "text"),
        ("keywords", "varchar(255) DEFAULT ''"),
    ],
}
LAWS_TABLES = {
    "area": [
        ("id", "smallint(4) unsigned NOT NULL AUTO_INCREMENT"),
        ("parentid", "smallint(4) unsigned NOT NULL DEFAULT '0'"),
        ("alias", "varchar(249) NOT NULL"),
        ("title", "varchar(249) NOT NULL"), ("introduction", "mediumtext NOT NULL"),
        ("keywords", "varchar(255) NOT NULL"), ("addtime", "int(11) unsigned NOT NULL DEFAULT '0'"),
        ("weight", "smallint(4) unsigned NOT NULL DEFAULT '0'"),
        ("sort", "smallint(5) unsigned NOT NULL DEFAULT '1'"),
        ("lev", "tinyint(1) unsigned NOT NULL DEFAULT '0'"),
        ("numsubcat", "tinyint(1) unsigned NOT NULL DEFAULT '0'"),
        ("subcatid", "varchar(255) NOT NULL DEFAULT ''"),
    ],
    "cat": [
        ("id", "smallint(4) unsigned NOT NULL AUTO_INCREMENT"),
        ("parentid", "smallint(4) unsigned NOT NULL DEFAULT '0'"),
        ("alias", "varchar(249) NOT NULL"),
        ("title", "varchar(249) NOT NULL"), ("introduction", "mediumtext NOT NULL"),
        ("keywords", "varchar(255) NOT NULL"),
        ("newday", "tinyint(2) unsigned NOT NULL DEFAULT '5'"),
        ("addtime", "int(11) unsigned NOT NULL DEFAULT '0'"),
        ("weight", "smallint(4) unsigned NOT NULL DEFAULT '0'"),
    ],
    "subject": [
        ("id", "smallint(4) unsigned NOT NULL AUTO_INCREMENT"), ("alias", "varchar(250) NOT NULL"),
        ("title", "varchar(250) NOT NULL"), ("introduction", "mediumtext NOT NULL"),
        ("keywords", "varchar(255) NOT NULL"), ("numcount", "int(10) NOT NULL DEFAULT '0'"),
        ("numlink", "tinyint(2) NOT NULL DEFAULT '5'"),
        ("addtime", "int(11) unsigned NOT NULL DEFAULT '0'"),
        ("weight", "smallint(4) unsigned NOT NULL DEFAULT '0'"),
    ],
    "row": [
        ("id", "int(10) NOT NULL AUTO_INCREMENT"),
        ("replacement", "varchar(255) NOT NULL DEFAULT ''"),
        ("relatement", "varchar(255) NOT NULL DEFAULT ''"), ("title", "varchar(255) NOT NULL"),
        ("alias", "varchar(255) NOT NULL"), ("code", "varchar(50) NOT NULL"),
        ("area_ids", "varchar(191) NOT NULL DEFAULT ''"),
        ("cid", "smallint(4) unsigned NOT NULL DEFAULT '0'"),
        ("sid", "smallint(4) unsigned NOT NULL DEFAULT '0'"),
        ("eid", "smallint(4) unsigned NOT NULL DEFAULT '0'"),
        ("sgid", "smallint(4) unsigned NOT NULL DEFAULT '0'"), ("note", "text NOT NULL"),
        ("introtext", "text NOT NULL"), ("bodytext", "mediumtext NOT NULL"),
        ("keywords", "varchar(255) NOT NULL"), ("groups_view", "varchar(255) NOT NULL"),
        ("groups_download", "varchar(255) NOT NULL"), ("files", "mediumtext NOT NULL"),
        ("status", "tinyint(1) NOT NULL"), ("approval", "tinyint(1) NOT NULL"),
        ("addtime", "int(11) NOT NULL"), ("edittime", "int(11) NOT NULL"),
        ("publtime", "int(11) NOT NULL DEFAULT '0'"), ("start_comm_time", "int(11) NULL"),
        ("end_comm_time", "int(11) NULL"), ("startvalid", "int(11) NOT NULL DEFAULT '0'"),
        ("exptime", "int(11) NOT NULL DEFAULT '0'"),
        ("view_hits", "mediumint(8) unsigned NOT NULL DEFAULT '0'"),
        ("download_hits", "mediumint(8) unsigned NOT NULL DEFAULT '0'"),
        ("admin_add", "mediumint(8) unsigned NOT NULL DEFAULT '0'"),
        ("admin_edit", "mediumint(8) unsigned NOT NULL DEFAULT '0'"),
    ],
    "signer": [
        ("id", "smallint(4) unsigned NOT NULL AUTO_INCREMENT"), ("title", "varchar(255) NOT NULL"),
        ("offices", "varchar(255) NOT NULL DEFAULT ''"),
        ("positions", "varchar(255) NOT NULL DEFAULT ''"),
        ("addtime", "int(11) unsigned NOT NULL DEFAULT '0'"),
    ],
}
MODULES_COLUMNS = [
    ("title", "varchar(50) NOT NULL"), ("module_file", "varchar(50) NOT NULL DEFAULT ''"),
    ("module_data", "varchar(50) NOT NULL DEFAULT ''"),
    ("module_upload", "varchar(50) NOT NULL DEFAULT ''"),
    ("module_theme", "varchar(50) NOT NULL DEFAULT ''"),
    ("custom_title", "varchar(255) NOT NULL"), ("admin_title", "varchar(255) DEFAULT ''"),
    ("set_time", "int(11) unsigned NOT NULL DEFAULT '0'"),
    ("main_file", "tinyint(1) unsigned NOT NULL DEFAULT '0'"),
    ("admin_file", "tinyint(1) unsigned NOT NULL DEFAULT '0'"),
    ("theme", "varchar(100) DEFAULT ''"), ("mobile", "varchar(100) DEFAULT ''"),
    ("description", "varchar(255) DEFAULT ''"), ("keywords", "text"),
    ("groups_view", "varchar(255) NOT NULL"),
    ("weight", "tinyint(3) unsigned NOT NULL DEFAULT '1'"),
    ("act", "tinyint(1) unsigned NOT NULL DEFAULT '0'"), ("admins", "varchar(4000) DEFAULT ''"),
    ("rss", "tinyint(4) NOT NULL DEFAULT '1'"), ("sitemap", "tinyint(4) NOT NULL DEFAULT '1'"),
]
CONFIG_COLUMNS = [
    ("lang", "varchar(3) NOT NULL DEFAULT 'sys'"),
    ("module", "varchar(50) NOT NULL DEFAULT 'global'"),
    ("config_name", "varchar(30) NOT NULL DEFAULT ''"), ("config_value", "text"),
]
DEFAULTS = {"int": 0, "tin": 0, "sma": 0, "med": 0, "var": "", "tex": "", "lon": ""}


@dataclass
class NewsCategory:
    catid: int
    title: str
    alias: str
    parentid: int = 0
    weight: int = 1
    description: str = ""


@dataclass
class NewsArticle:
    id: int
    catid: int
    title: str
    alias: str
    bodyhtml: str
    hometext: str = ""
    status: int = 1
    publtime: int = 1_700_000_000
    exptime: int = 0
    author: str = ""
    sourceid: int = 0
    homeimgfile: str = ""
    homeimgalt: str = ""
    homeimgthumb: int = 0
    files: str = ""


@dataclass
class Law:
    id: int
    code: str
    title: str
    alias: str
    cid: int = 1
    sid: int = 1
    sgid: int = 1
    area_ids: str = "1"
    publtime: int = 1_700_000_000
    startvalid: int = 0
    exptime: int = 0
    files: str = ""
    status: int = 1


@dataclass
class NukeVietSite:
    """What the dump holds; `lang` may be several (a bilingual portal)."""

    categories: list[NewsCategory] = field(default_factory=list)
    articles: list[NewsArticle] = field(default_factory=list)
    sources: dict[int, str] = field(default_factory=dict)
    authors: dict[int, list[str]] = field(default_factory=dict)
    laws: list[Law] = field(default_factory=list)
    news_module: str = "news"
    home_module: str = "news"
    langs: tuple[str, ...] = ("vi",)


# --- SQL text ---------------------------------------------------------------------------------


def escaped(value, doubled: bool = False) -> str:
    """Write a value as mysqldump (or, doubled, phpMyAdmin) does."""
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    text = str(value).replace("\\", "\\\\").replace("\0", "\\0").replace("\n", "\\n")
    text = text.replace("\r", "\\r").replace("\x1a", "\\Z").replace('"', '\\"')
    text = text.replace("'", "''" if doubled else "\\'")
    return f"'{text}'"


def default(column_type: str):
    if "DEFAULT '" in column_type:
        value = column_type.split("DEFAULT '", 1)[1].split("'", 1)[0]
        return int(value) if value.lstrip("-").isdigit() and "int" in column_type else value
    if "NULL" in column_type and "NOT NULL" not in column_type:
        return None
    return DEFAULTS.get(column_type[:3], "")


def create_table(name: str, columns: list[tuple[str, str]]) -> str:
    lines = [f"  `{column}` {kind}" for column, kind in columns]
    lines.append(f"  PRIMARY KEY (`{columns[0][0]}`)")
    return (
        f"--\n-- Table structure for table `{name}`\n--\n\n"
        f"DROP TABLE IF EXISTS `{name}`;\n"
        "/*!40101 SET @saved_cs_client     = @@character_set_client */;\n"
        "/*!50503 SET character_set_client = utf8mb4 */;\n"
        f"CREATE TABLE `{name}` (\n" + ",\n".join(lines) + "\n"
        ") ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;\n"
        "/*!40101 SET character_set_client = @saved_cs_client */;\n\n"
    )


def inserts(name: str, columns: list[tuple[str, str]], rows: list[dict], style: str,
            per_statement: int) -> str:  # fmt: skip
    if not rows:
        return ""
    doubled = style == "phpmyadmin"
    values = [
        "(" + ",".join(escaped(row.get(c, default(k)), doubled) for c, k in columns) + ")"
        for row in rows
    ]
    out = [f"--\n-- Dumping data for table `{name}`\n--\n\n", f"LOCK TABLES `{name}` WRITE;\n",
           f"/*!40000 ALTER TABLE `{name}` DISABLE KEYS */;\n"]  # fmt: skip
    for start in range(0, len(values), per_statement):
        batch = values[start : start + per_statement]
        if style == "phpmyadmin":
            names = ", ".join(f"`{c}`" for c, _ in columns)
            out.append(f"INSERT INTO `{name}` ({names}) VALUES\n" + ",\n".join(batch) + ";\n")
        else:
            out.append(f"INSERT INTO `{name}` VALUES " + ",".join(batch) + ";\n")
    out.append(f"/*!40000 ALTER TABLE `{name}` ENABLE KEYS */;\nUNLOCK TABLES;\n\n")
    return "".join(out)


# --- The site's rows --------------------------------------------------------------------------


def article_rows(site: NukeVietSite) -> tuple[list[dict], list[dict]]:
    rows, details = [], []
    for a in site.articles:
        rows.append({
            "id": a.id, "catid": a.catid, "listcatid": str(a.catid), "author": a.author,
            "sourceid": a.sourceid, "addtime": a.publtime - 3600, "edittime": a.publtime,
            "status": a.status, "publtime": a.publtime, "exptime": a.exptime, "title": a.title,
            "alias": a.alias, "hometext": a.hometext, "homeimgfile": a.homeimgfile,
            "homeimgalt": a.homeimgalt, "homeimgthumb": a.homeimgthumb, "inhome": 1,
            "allowed_comm": "4", "hitstotal": 17,
        })  # fmt: skip
        details.append({"id": a.id, "bodyhtml": a.bodyhtml, "files": a.files, "imgposition": 2,
                        "description": "", "sourcetext": ""})  # fmt: skip
    return rows, details


def news_tables(site: NukeVietSite, lang: str) -> dict[str, tuple[list, list[dict]]]:
    table = f"{PREFIX}_{lang}_{site.news_module}"
    rows, details = article_rows(site)
    cats = [{"catid": c.catid, "parentid": c.parentid, "title": c.title, "alias": c.alias,
             "weight": c.weight, "sort": c.weight, "lev": 1 if c.parentid else 0,
             "description": c.description} for c in site.categories]  # fmt: skip
    sources = [{"sourceid": k, "title": v, "add_time": 0, "edit_time": 0}
               for k, v in site.sources.items()]  # fmt: skip
    authors = [{"id": k, "aid": i + 1, "alias": "", "pseudonym": name}
               for k, names in site.authors.items() for i, name in enumerate(names)]  # fmt: skip
    tags = [{"tid": 1, "numnews": 2, "title": "nông thôn mới", "alias": "nong-thon-moi"}]
    found = {"cat": cats, "detail": details, "rows": rows, "sources": sources,
             "authorlist": authors, "tags": tags}  # fmt: skip
    return {f"{table}_{suffix}": (NEWS_TABLES[suffix], found[suffix]) for suffix in NEWS_TABLES}


def laws_tables(site: NukeVietSite, lang: str) -> dict[str, tuple[list, list[dict]]]:
    if not site.laws:
        return {}
    table = f"{PREFIX}_{lang}_laws"
    found = {
        "area": [{"id": 1, "alias": "dat-dai", "title": "Đất đai"},
                 {"id": 2, "alias": "y-te", "title": "Y tế"}],
        "cat": [{"id": 1, "alias": "quyet-dinh", "title": "Quyết định"},
                {"id": 2, "alias": "thong-bao", "title": "Thông báo"}],
        "subject": [{"id": 1, "alias": "ubnd-xa", "title": "Ủy ban nhân dân xã Tân Lập"}],
        "signer": [{"id": 1, "title": "Lò Văn Khánh", "positions": "Chủ tịch"}],
        "row": [{"id": law.id, "code": law.code, "title": law.title, "alias": law.alias,
                 "cid": law.cid, "sid": law.sid, "sgid": law.sgid, "area_ids": law.area_ids,
                 "publtime": law.publtime, "startvalid": law.startvalid, "exptime": law.exptime,
                 "files": law.files, "status": law.status, "approval": 1,
                 "addtime": law.publtime, "edittime": law.publtime} for law in site.laws],
    }  # fmt: skip
    return {f"{table}_{suffix}": (LAWS_TABLES[suffix], found[suffix]) for suffix in LAWS_TABLES}


def module_rows(site: NukeVietSite) -> list[dict]:
    rows = [{"title": site.news_module, "module_file": "news", "module_data": site.news_module,
             "module_upload": site.news_module, "custom_title": "Tin tức", "act": 1}]  # fmt: skip
    rows.append({"title": "about", "module_file": "page", "module_data": "about",
                 "module_upload": "about", "custom_title": "Giới thiệu", "act": 1})  # fmt: skip
    if site.laws:
        rows.append({"title": "van-ban", "module_file": "laws", "module_data": "laws",
                     "module_upload": "laws", "custom_title": "Văn bản", "act": 1})  # fmt: skip
    return rows


def all_tables(site: NukeVietSite) -> dict[str, tuple[list, list[dict]]]:
    config = [{"lang": "sys", "module": "global", "config_name": "rewrite_op_mod",
               "config_value": site.home_module},
              {"lang": "sys", "module": "global", "config_name": "rewrite_optional",
               "config_value": "0"}]  # fmt: skip
    tables = {f"{PREFIX}_config": (CONFIG_COLUMNS, config)}
    for lang in site.langs:
        tables[f"{PREFIX}_{lang}_modules"] = (MODULES_COLUMNS, module_rows(site))
        tables.update(news_tables(site, lang))
        tables.update(laws_tables(site, lang))
    return dict(sorted(tables.items()))  # mysqldump writes tables in name order


def write_dump(path, site: NukeVietSite, style: str = "mysqldump", per_statement: int = 50):
    """Write `site` as a dump file of the given style; return the path."""
    header = (
        "-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n--\n"
        "-- Host: localhost    Database: xa_tanlap\n"
        "-- ------------------------------------------------------\n"
        "-- Server version\t8.0.36\n\n"
        "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n"
        "/*!50503 SET NAMES utf8mb4 */;\n"
        "/*!40103 SET TIME_ZONE='+00:00' */;\n\n"
    )
    with open(path, "w", encoding="utf-8") as out:
        out.write(header)
        for name, (columns, rows) in all_tables(site).items():
            if style != "data-only":
                out.write(create_table(name, columns))
            out.write(inserts(name, columns, rows, style, per_statement))
        out.write("-- Dump completed on 2025-06-30 23:59:59\n")
    return path
