"""Everything under tests/e2e/ runs real servers, browsers or nbgrader: marked ``e2e``, so the quick loop
``-m "not slow and not e2e"`` leaves it out. The module's own markers (voila, browser, nbgrader, hub, slow)
still say which kind it is."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)
