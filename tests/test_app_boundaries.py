"""The contract that keeps each app's one way in (tools/app_boundaries.py, decision 0056)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import grimp
import pytest

from tools.app_boundaries import AppBoundariesContract

FILES = {
    "shop/__init__.py": "",
    "shop/urls.py": "from shop.orders import services\n",
    "shop/core/__init__.py": "",
    "shop/core/money.py": "",
    "shop/catalog/__init__.py": "",
    "shop/catalog/api.py": "from shop.catalog import models\n",
    "shop/catalog/models.py": "",
    "shop/catalog/types.py": "",
    "shop/orders/__init__.py": "",
    "shop/orders/services.py": (
        "from shop.catalog import api\n"  # the way in
        "from shop.catalog import types\n"  # a named shared module
        "from shop.core import money\n"  # shared
        "from shop.orders import selectors\n"  # its own module
        "\n"
        "from shop.catalog import models\n"  # past the api: a breach, on line 6
    ),
    "shop/orders/selectors.py": "",
    "shop/orders/tests/__init__.py": "",
    "shop/orders/tests/test_x.py": "from shop.catalog import models\n",
}


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[grimp.ImportGraph]:
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    sys.path.insert(0, str(tmp_path))
    try:
        yield grimp.build_graph("shop", cache_dir=None)
    finally:
        sys.path.remove(str(tmp_path))
        for module in [m for m in sys.modules if m == "shop" or m.startswith("shop.")]:
            del sys.modules[module]


def contract(**options: object) -> AppBoundariesContract:
    return AppBoundariesContract(
        name="one way in",
        session_options={"root_packages": ["shop"]},
        contract_options={"container": "shop", "shared": ["shop.core", "shop.catalog.types"]}
        | options,
    )


def test_an_import_past_another_apps_api_breaks_it_with_its_line(
    shop: grimp.ImportGraph,
) -> None:
    check = contract(ignore_imports=["shop.*.tests.** -> shop.**"]).check(shop, verbose=False)
    assert not check.kept
    [breach] = check.metadata["breaches"]
    assert (breach.importer, breach.imported, breach.lines) == (
        "shop.orders.services",
        "shop.catalog.models",
        (6,),
    )


def test_tests_are_broken_too_unless_left_out(shop: grimp.ImportGraph) -> None:
    check = contract().check(shop, verbose=False)
    assert {b.importer for b in check.metadata["breaches"]} == {
        "shop.orders.services",
        "shop.orders.tests.test_x",
    }


def test_the_api_shared_modules_own_modules_and_the_assembly_above_the_apps_are_allowed(
    shop: grimp.ImportGraph,
) -> None:
    check = contract(
        shared=["shop.core", "shop.catalog.types", "shop.catalog.models"],
        ignore_imports=["shop.*.tests.** -> shop.**"],
    ).check(shop, verbose=False)
    assert check.kept and check.metadata["breaches"] == []
