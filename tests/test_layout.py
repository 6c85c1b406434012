"""The shape of the house: no import cycles, each layer imports only the layers below it
(ARCHITECTURE.md draws the same table), and the modules every commune uses import nothing of
the province's. Function-level imports count: hiding one in a function does not make a cycle
go away."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SKIPPED = {"tests", "bench", "migrations", "instance", "build", "static", "templates"}

# Lowest first. A module may import its own layer and the ones before it.
LAYERS = (
    ("foundation", {"internals", "settings", "extensions", "models", "vietnamese", "sanitize",
                    "forms",
                    "media", "media.sniff", "web", "ops", "sites"}),
    ("domain", {"media.*", "search", "search.*", "revisions", "documents", "workflow", "mail",
                "participation"}),
    ("web", {"web.*", "feeds", "sites.*"}),
    ("ops", {"ops.*", "sites.manage", "sites.merge", "sites.commands"}),
    ("audiences", {"public", "citizens", "auth", "admin", "admin.*", "province"}),
    ("factory", {"app"}),
)


def project_modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in SKIPPED or parts[0].startswith("."):
            continue
        name = ".".join(parts)[:-3].removesuffix(".__init__")
        found[name] = path
    return found


MODULES = project_modules()


def resolve(name: str) -> str | None:
    """Map an imported name (a module or a name inside one) to a project module."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imported_names(module: str, path: Path) -> set[str]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                prefix = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*prefix, base] if base else prefix)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph() -> dict[str, set[str]]:
    graph = {}
    for module, path in MODULES.items():
        targets = {resolve(name) for name in imported_names(module, path)}
        graph[module] = {t for t in targets if t and t != module}
    return graph


GRAPH = import_graph()


def layer_of(module: str) -> int:
    for index, (_, members) in enumerate(LAYERS):
        if module in members:
            return index
    for index, (_, members) in enumerate(LAYERS):
        if any(m.endswith(".*") and module.startswith(m[:-1]) for m in members):
            return index
    raise AssertionError(f"{module} has no layer: add it to LAYERS and ARCHITECTURE.md")


def find_cycle(start: str) -> list[str] | None:
    """Return a path start -> ... -> start through the import graph, if there is one."""
    stack = [(start, [start])]
    seen = set()
    while stack:
        node, path = stack.pop()
        for target in GRAPH.get(node, ()):
            if target == start:
                return [*path, start]
            if target not in seen:
                seen.add(target)
                stack.append((target, [*path, target]))
    return None


def is_province(module: str) -> bool:
    """The province's package boundary: its pages (`province`, an audience at the top like
    the commune's) and the `sites` package (hosting many communes on one install)."""
    return module in ("province", "sites") or module.startswith("sites.")


# Every module but the province's and the factory, which assembles a commune's site and a
# province alike: what a single commune's install runs.
COMMUNE_MODULES = sorted(m for m in MODULES if not is_province(m) and m != "app")


def test_the_graph_sees_the_whole_project():
    assert {"app", "models", "public", "admin.articles", "media.store", "web.templating",
            "ops.cli"} <= set(MODULES)
    assert "models" in GRAPH["public"]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_import_cycle(module):
    cycle = find_cycle(module)
    assert cycle is None, " -> ".join(cycle)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_only_go_down_the_layers(module):
    upward = [t for t in GRAPH[module] if layer_of(t) > layer_of(module)]
    assert not upward, f"{module} ({LAYERS[layer_of(module)][0]}) imports {upward}"


@pytest.mark.parametrize("module", COMMUNE_MODULES)
def test_modules_every_commune_uses_import_nothing_of_the_provinces(module):
    reached = sorted(t for t in GRAPH[module] if is_province(t))
    assert not reached, (
        f"{module} runs in every commune's install but imports the province's {reached}: move "
        "the province-only part into sites/ (or province.py), or the shared part out of it"
    )


def test_the_province_boundary_is_drawn_around_the_right_modules():
    assert {"province", "sites", "sites.dispatch", "sites.commands"} <= {
        m for m in MODULES if is_province(m)}  # fmt: skip
    assert {"public", "auth", "admin.articles", "ops.cli", "web.redirects", "models"} <= set(
        COMMUNE_MODULES)  # fmt: skip
    assert "app" not in COMMUNE_MODULES


def test_a_commune_module_reaching_into_the_province_is_found(monkeypatch):
    """The checker itself: an import of any module behind the boundary is refused."""
    monkeypatch.setitem(GRAPH, "ops.cli", {*GRAPH["ops.cli"], "sites.registry"})
    with pytest.raises(AssertionError, match=r"ops.cli runs in every commune's install"):
        test_modules_every_commune_uses_import_nothing_of_the_provinces("ops.cli")


def test_a_cycle_hidden_in_a_function_is_found(tmp_path, monkeypatch):
    """The checker itself: a function-level import back to the importer is a cycle."""
    monkeypatch.setitem(GRAPH, "fake_low", {"fake_high"})
    monkeypatch.setitem(GRAPH, "fake_high", {"fake_low"})
    assert find_cycle("fake_low") == ["fake_low", "fake_high", "fake_low"]


def test_package_init_files_only_describe_their_package():
    """A package's __init__ holds its docstring (admin's gathers its views, search's is the
    interface every caller imports); nothing runs."""
    for module, path in MODULES.items():
        if path.name != "__init__.py" or module in ("admin", "search"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{module} needs a docstring saying what it holds"
        assert len(tree.body) == 1, f"{module}/__init__.py should hold only its docstring"


def test_the_root_holds_the_design_files_a_few_domain_modules_and_packages():
    root_modules = {p.stem for p in ROOT.glob("*.py")}
    assert root_modules == {
        "app", "models", "forms", "extensions", "settings", "internals",
        "public", "citizens", "auth", "province",
        "sanitize", "vietnamese", "revisions", "documents", "feeds", "workflow", "mail",
        "participation",
    }
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")}
    assert packages == {"admin", "media", "web", "ops", "sites", "search"}
