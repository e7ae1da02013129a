"""Real answers to the spam protection of public forms, for tests that post those forms.

`solved_pow()` asks the portal's own code for a signed challenge and solves it by brute force
with the altcha library, as the browser's worker does. The difficulty is kept small here (the
server accepts any challenge it signed; production difficulty comes from ALTCHA_MAX_NUMBER).
"""

from __future__ import annotations

import base64
import json
from typing import Any

import altcha

from medtour.portal.antispam import challenge_create

TEST_MAX_NUMBER = 50
TEST_COST = 10


def solved_payload(challenge: dict[str, Any] | None = None, **options: Any) -> str:
    """The widget's hidden-input value for a solved challenge (a new one unless given)."""
    options.setdefault("max_number", TEST_MAX_NUMBER)
    options.setdefault("cost", TEST_COST)
    challenge = challenge or challenge_create(**options)
    solution = altcha.solve_challenge(altcha.Challenge.from_dict(challenge), timeout=30)
    assert solution is not None, "the test challenge could not be solved"
    payload = {"challenge": challenge, "solution": solution.to_dict()}
    return base64.b64encode(json.dumps(payload).encode()).decode()


def solved_pow(**options: Any) -> dict[str, str]:
    """POST data for a form with `altcha = ProofOfWorkField()`: `{**form_data, **solved_pow()}`."""
    return {"altcha": solved_payload(**options)}
