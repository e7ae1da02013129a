"""No template shows text that is not marked for translation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

TEMPLATE_ROOT = Path(settings.BASE_DIR) / "medtour"
TEMPLATES = sorted(path for path in TEMPLATE_ROOT.rglob("templates/**/*.html"))
HUMAN_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label")
TAG = re.compile(r"<[^>]*>", re.DOTALL)
ATTRIBUTE = re.compile(r"\b(" + "|".join(HUMAN_ATTRIBUTES) + r""")\s*=\s*("([^"]*)"|'([^']*)')""")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
ENTITY = re.compile(r"&[a-zA-Z]+;|&#\d+;")
SKIP_BLOCKS = {
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
    "verbatim": "endverbatim",
}


def unmarked_text(source: str) -> list[str]:
    """Runs of letters outside translation tags, in text and in human-facing attributes."""
    found: list[str] = []
    closing: str | None = None
    text_parts: list[str] = []
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if closing and name == closing:
                closing = None
            elif closing is None and name in SKIP_BLOCKS:
                closing = SKIP_BLOCKS[name]
            elif closing is None and name == "block" and token.contents.endswith("class"):
                closing = "endblock"  # a CSS class name, not text
            text_parts.append(" {tag} ")
        elif token.token_type == TokenType.TEXT and closing is None:
            text_parts.append(token.contents)
        else:
            text_parts.append(" {var} ")
    text = HTML_COMMENT.sub(" ", "".join(text_parts))
    for match in ATTRIBUTE.finditer(text):
        value = (match.group(3) or match.group(4) or "").replace("{tag}", "").replace("{var}", "")
        if any(character.isalpha() for character in value):
            found.append(f'{match.group(1)}="{value.strip()}"')
    visible = ENTITY.sub(" ", TAG.sub(" ", text)).replace("{tag}", " ").replace("{var}", " ")
    found.extend(word for word in visible.split() if any(c.isalpha() for c in word))
    return found


def test_templates_are_found() -> None:
    assert len(TEMPLATES) >= 5


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATE_ROOT)))
def test_template_has_no_unmarked_text(path: Path) -> None:
    assert unmarked_text(path.read_text(encoding="utf-8")) == []


def test_checker_finds_unmarked_text_and_accepts_marked_text() -> None:
    source = (
        '{% load i18n %}<p title="Hello">{% translate "Fine" %}</p><b>Oops</b>'
        "{% blocktranslate %}Also fine{% endblocktranslate %}<!-- note -->"
        "{% block body_class %}page-class{% endblock %}"
    )
    assert unmarked_text(source) == ['title="Hello"', "Oops"]
