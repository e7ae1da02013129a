"""axe-core in the real browser: a page passes when axe reports no serious or critical violation.

axe-playwright-python ships axe-core itself (no download at run time) and injects it through the
DevTools protocol, which the page's Content Security Policy does not govern.
"""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe

BLOCKING_IMPACTS = frozenset({"serious", "critical"})
_AXE = Axe()


def serious_violations(page: Any) -> list[dict[str, Any]]:
    results = _AXE.run(page)
    return [
        violation
        for violation in results.response["violations"]
        if violation.get("impact") in BLOCKING_IMPACTS
    ]


def assert_accessible(page: Any) -> None:
    """Fail with each serious violation's rule, help text and the first offending elements."""
    found = serious_violations(page)
    described = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:3])
        for v in found
    ]
    assert not found, f"axe on {page.url}:\n" + "\n".join(described)
