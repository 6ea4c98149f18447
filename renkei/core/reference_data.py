"""Reference data shipped with the product, never typed in by hand: the local governments of
Japan, the registry's lists, the board's categories.

Each app registers its loader in AppConfig.ready(); `manage.py load_reference_data` runs them in
the order of INSTALLED_APPS. A loader adds what is missing and leaves what users changed, so it
can run at every start, and returns one line saying what it did.
"""

from collections.abc import Callable

loaders: list[Callable[[], str]] = []


def register(loader: Callable[[], str]) -> None:
    if loader not in loaders:
        loaders.append(loader)


def load_all() -> list[str]:
    return [loader() for loader in loaders]
