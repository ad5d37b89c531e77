"""bool_type is a known failure of this deck (as a `# known-failure:` header would make it)."""

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if item.name == "bool_type":
            item.add_marker(pytest.mark.xfail(reason="np.bool is back in NumPy 2", strict=True))
