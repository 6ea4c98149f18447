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
    ("built on the domain", ["statistics", "disasters"]),
    ("public site", ["portal"]),
    ("faces", ["secretariat", "opendata", "api", "newsletter"]),
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
