"""The apps depend one way (docs/architecture.md): each module imports only apps of lower layers,
and apps of one layer do not import each other. Every import is read, those inside functions
too; tests and migrations aside.
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]  # the renkei package

# From the ground up. The project's own modules (urls, settings, wsgi, server, worker, deploy, testing) stand on top.
LAYERS = [
    ("core", ["core"]),
    ("reference data", ["municipalities"]),
    ("people", ["accounts"]),
    ("sources", ["sources"]),
    ("domain", ["registry", "membership", "inquiries", "board"]),
    ("built on the domain", ["statistics", "disasters", "matching"]),
    ("public site", ["portal"]),
    ("faces", ["secretariat", "opendata", "api", "newsletter", "replies"]),
    ("project", ["urls", "settings", "wsgi", "server", "worker", "deploy", "testing"]),
]
LAYER_OF = {app: number for number, (_, apps) in enumerate(LAYERS) for app in apps}


def _module_of(path: Path) -> list[str]:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def imported_apps(path: Path) -> set[tuple[str, int]]:
    """The renkei apps a file imports, with the line of each import."""
    package = _module_of(path) if path.name == "__init__.py" else _module_of(path)[:-1]
    return apps_in(path.read_text(encoding="utf-8"), package)


def apps_in(source: str, package: list[str]) -> set[tuple[str, int]]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            # `from renkei import board` names the app in the imported name
            names = [f"{module}.{alias.name}" for alias in node.names] if module == "renkei" else [module]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "renkei" and len(parts) > 1:
                found.add((parts[1], node.lineno))
                if "tests" in parts[2:]:
                    found.add(("tests", node.lineno))  # code never leans on a test module
    return found


def source_files() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if not {"tests", "migrations"} & set(p.relative_to(ROOT).parts))


def app_of(path: Path) -> str:
    parts = path.relative_to(ROOT).parts
    return parts[0] if len(parts) > 1 else path.stem


def test_every_app_has_a_layer():
    apps = {app_of(path) for path in source_files()} - {"__init__"}
    assert apps - set(LAYER_OF) == set(), "give these a layer in LAYERS and docs/architecture.md"


def test_imports_run_down_the_layers_only():
    wrong = []
    for path in source_files():
        app = app_of(path)
        if app == "__init__":
            continue
        for target, line in sorted(imported_apps(path)):
            if target == app:
                continue
            if target == "tests":
                wrong.append(f"{path.relative_to(ROOT.parent)}:{line} imports a test module")
            elif target not in LAYER_OF:
                wrong.append(f"{path.relative_to(ROOT.parent)}:{line} imports renkei.{target}, which has no layer")
            elif LAYER_OF[target] >= LAYER_OF[app]:
                wrong.append(f"{path.relative_to(ROOT.parent)}:{line} ({LAYERS[LAYER_OF[app]][0]}) imports "
                             f"renkei.{target} ({LAYERS[LAYER_OF[target]][0]})")
    assert wrong == [], "imports against the layers:\n" + "\n".join(wrong)


def test_the_walk_sees_every_form_of_import():
    """A function-level import counts like any other, and so do relative and package imports."""
    source = ("def f():\n    from renkei.portal import views\n    import renkei.board.models\n"
              "from ..registry import selectors\nfrom renkei import statistics\nfrom . import services\n")
    found = {app for app, _ in apps_in(source, ["renkei", "membership"])}
    assert found == {"portal", "board", "registry", "statistics", "membership"}


def test_installed_apps_are_listed_in_layer_order():
    ours = [name.removeprefix("renkei.") for name in settings.INSTALLED_APPS if name.startswith("renkei.")]
    assert [LAYER_OF[app] for app in ours] == sorted(LAYER_OF[app] for app in ours)


def imported_modules(path: Path) -> set[str]:
    """The renkei modules a file imports (`from renkei.x import y` names module y when y is one)."""
    package = _module_of(path) if path.name == "__init__.py" else _module_of(path)[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            names = [f"{module}.{alias.name}" if _is_module(f"{module}.{alias.name}") else module for alias in node.names]
        else:
            continue
        found |= {name for name in names if name.startswith("renkei.") and _is_module(name)}
    return found


def _is_module(name: str) -> bool:
    path = ROOT.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other in a loop (Tarjan's strongly connected components)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_two_modules_import_each_other():
    """Not even through an import inside a function: a loop means two modules are one concern."""
    graph = {".".join(_module_of(path)): imported_modules(path) - {".".join(_module_of(path))} for path in source_files()}
    # A package's __init__ is imported on the way to its modules; the loop that makes is not a loop of concerns.
    graph = {module: {t for t in targets if not module.startswith(t + ".")} for module, targets in graph.items()}
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_loop_through_three_modules():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


# What meets only in the database (a foreign key written as a string), never in code.
APART = {("disasters", "registry")}


def test_apps_that_meet_only_in_the_database_import_nothing_of_each_other():
    wrong = [f"{path.relative_to(ROOT.parent)}:{line} imports renkei.{target}"
             for path in source_files() for target, line in imported_apps(path) if (app_of(path), target) in APART]
    assert wrong == []
