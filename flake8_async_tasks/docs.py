"""Renders the rule catalogue as Markdown: one page per rule and an index.

``python -m flake8_async_tasks docs DIR`` writes them; a test checks that the
committed ``docs/rules/`` matches what this module renders.
"""

from __future__ import annotations

from pathlib import Path

from . import registry

GENERATED = (
    "<!-- Generated from the rule catalogue by `python -m flake8_async_tasks docs docs`: do not edit. -->"
)


def rule_page(rule: type[registry.Rule]) -> str:
    default = "on" if rule.enabled_by_default else "off (opt in with `extend-select`)"
    example = rule.message.replace("{", "<").replace("}", ">")
    lines = [
        GENERATED,
        "",
        f"# {rule.code} {rule.name}",
        "",
        f"Enabled by default: {default}.",
        "",
        "Message:",
        "",
        "```text",
        f"{rule.code} {example}",
        "```",
        "",
        rule.doc(),
        "",
    ]
    return "\n".join(lines)


def index_page() -> str:
    lines = [
        GENERATED,
        "",
        "# Rules",
        "",
        "| code | name | default | what it finds |",
        "| --- | --- | --- | --- |",
    ]
    for rule in registry.rules():
        default = "on" if rule.enabled_by_default else "off"
        lines.append(f"| [{rule.code}]({rule.code}.md) | {rule.name} | {default} | {rule.summary()} |")
    lines.append("")
    return "\n".join(lines)


def pages() -> dict[str, str]:
    """File name (relative to ``docs/rules``) -> content."""
    result = {"index.md": index_page()}
    for rule in registry.rules():
        result[f"{rule.code}.md"] = rule_page(rule)
    return result


def write(docs_dir: Path) -> list[Path]:
    target = docs_dir / "rules"
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in pages().items():
        path = target / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
