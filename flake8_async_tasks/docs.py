"""Everything the documentation renders from the code.

- Each rule's metadata as data (:func:`metadata`): ``flake8-async-tasks rules
  --format json`` prints it, ``explain``, the rule pages and the SARIF
  formatter read it.
- One page per rule and the rule index under ``docs/rules/``, from the rule
  catalogue (``python -m flake8_async_tasks docs docs`` writes them; a test
  checks that the committed pages are current).
- The option reference of ``docs/configuration.md``: the page is written by
  hand except for the block between :data:`BEGIN` and :data:`END`, rendered
  from the option table in :mod:`flake8_async_tasks.settings`
  (the same command rewrites the block; a test checks it is current, so
  GitHub readers see the same page as the site).
- The rule table of the README, between :data:`README_BEGIN` and
  :data:`README_END` (the same command rewrites it; a test checks it).
- The table of uses in ``docs/inference.md`` (what the code does with a
  value, :data:`flake8_async_tasks.analysis.uses.USES`), between
  :data:`USES_BEGIN` and :data:`USES_END`: the same command rewrites it and a
  test checks it.

:func:`write_all` writes every one of these files; ``python -m
flake8_async_tasks.docs docs`` (:func:`main`) rewrites all but the rule pages,
or with ``--check`` only reports.
- mkdocs hooks (see ``mkdocs.yml``): the site's configuration page always
  shows the current options, and the "Rules" entry of the navigation lists
  one page per rule, so a new rule needs no edit of ``mkdocs.yml``.

mkdocs loads hooks by file path, outside the package, so this module imports
the package by its absolute name.
"""

from __future__ import annotations

import argparse
import inspect
import shlex
import sys
from pathlib import Path
from typing import Any, Callable

from flake8_async_tasks import registry, settings
from flake8_async_tasks.analysis import uses
from flake8_async_tasks.rule import Rule

README_BEGIN = "<!-- BEGIN rules: generated from the rule catalogue, do not edit -->"
README_END = "<!-- END rules -->"

GENERATED = (
    "<!-- Generated from the rule catalogue by `python -m flake8_async_tasks docs docs`: do not edit. -->"
)


# Where each rule's page is read online: the Documentation URL of
# pyproject.toml, at the page that `docs docs` writes (a test checks both).
RULE_URL = "https://github.com/flake8-async-tasks/flake8-async-tasks/blob/main/docs/rules/{code}.md"


def metadata(rule: type[Rule]) -> dict[str, Any]:
    """What a tool needs to know of ``rule``, as JSON-ready data."""
    from flake8_async_tasks.fix import FIXABLE  # the one list of what `fix` fixes

    return {
        "code": rule.code,
        "name": rule.name,
        "default": "on" if rule.enabled_by_default else "off",
        "summary": rule.summary(),
        "url": RULE_URL.format(code=rule.code),
        "fixable": rule.code in FIXABLE,
    }


def rule_page(rule: type[Rule]) -> str:
    data = metadata(rule)
    default = "on" if data["default"] == "on" else "off (opt in with `extend-select`)"
    example = rule.message.replace("{", "<").replace("}", ">")
    fixable = "yes, by `flake8-async-tasks fix` (see [fix](../fix.md))" if data["fixable"] else "no"
    lines = [
        GENERATED,
        "",
        f"# {rule.code} {rule.name}",
        "",
        f"Enabled by default: {default}.",
        "",
        f"Fixable: {fixable}.",
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
        "| code | name | default | fixable | what it finds |",
        "| --- | --- | --- | --- | --- |",
    ]
    for rule in registry.rules():
        data = metadata(rule)
        fixable = "yes" if data["fixable"] else "no"
        link = f"[{rule.code}]({rule.code}.md)"
        lines.append(f"| {link} | {rule.name} | {data['default']} | {fixable} | {data['summary']} |")
    lines.append("")
    return "\n".join(lines)


def pages() -> dict[str, str]:
    """File name (relative to ``docs/rules``) -> content."""
    result = {"index.md": index_page()}
    for rule in registry.rules():
        result[f"{rule.code}.md"] = rule_page(rule)
    return result


def write_rule_pages(docs_dir: Path) -> list[Path]:
    target = docs_dir / "rules"
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in pages().items():
        path = target / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


PAGE = "configuration.md"
BEGIN = "<!-- BEGIN options: generated from flake8_async_tasks/settings.py, do not edit -->"
END = "<!-- END options -->"
REGENERATE = "python -m flake8_async_tasks docs docs"


def _default(option: settings.Option) -> str:
    value = option.default
    if isinstance(value, (list, tuple)):
        return ", ".join(f"`{item}`" for item in value) if value else "none"
    if value is None or value == "":
        return "none"
    return f"`{value}`"


def _values(option: settings.Option) -> str:
    if option.choices:
        text = "one of " + ", ".join(f"`{choice}`" for choice in option.choices)
    elif option.validate is not None:
        text = (inspect.getdoc(option.validate) or "").split("\n\n")[0].replace("\n", " ")
        text = text.rstrip(".") or "a value"
        text = text[0].lower() + text[1:]
    else:
        text = "any text"
    if option.comma_separated:
        text = f"a comma-separated list; each item is {text}"
    return text


def _help(option: settings.Option) -> str:
    """The option's ``--help`` text, with argparse's ``%(default)s`` filled in."""
    default = option.default
    if isinstance(default, (list, tuple)):
        default = ",".join(default)
    return option.help.strip().replace("%(default)s", str(default)).replace("%%", "%")


def option_section(option: settings.Option) -> str:
    name = option.config_name
    lines = [
        f"### `{name}`",
        "",
        _help(option),
        "",
        "| | |",
        "| --- | --- |",
        f"| command line | `{option.flag}=VALUE` |",
        f"| configuration file | `{name} = VALUE` in the `[flake8]` section |",
        f"| values | {_values(option)} |",
        f"| default | {_default(option)} |",
        "",
        "```ini",
        "[flake8]",
        f"{name} = {option.example}",
        "```",
        "",
        "```sh",
        # Quoted for the shell: `app.utils.spawn, app.jobs.*` is one value.
        f"flake8 {option.flag}={shlex.quote(option.example)} src/",
        "```",
    ]
    return "\n".join(lines)


def options_reference(options: tuple[settings.Option, ...] | None = None) -> str:
    """The Markdown between :data:`BEGIN` and :data:`END`."""
    options = settings.OPTIONS if options is None else options
    if not options:
        return (
            "The plugin has no options of its own yet: which rules run is chosen with flake8's own\n"
            "settings, above."
        )
    intro = [
        "Each option is spelled `--aio-...` on the command line and `aio-...` in the `[flake8]`",
        "section of a configuration file. A value that is not allowed stops flake8 with one line",
        "starting `flake8-async-tasks: error:` and exit status 2, before any file is linted. When the",
        "value comes from a configuration file, the line ends with the file and the key as written:",
        "`--aio-inference: invalid value 'maybe' (...); from setup.cfg, [flake8] aio-inference`.",
        "",
        "| option | values | default |",
        "| --- | --- | --- |",
    ]
    for option in options:
        anchor = option.config_name
        intro.append(f"| [`{option.config_name}`](#{anchor}) | {_values(option)} | {_default(option)} |")
    return "\n".join(intro) + "\n\n" + "\n\n".join(option_section(option) for option in options)


def render(page: str, options: tuple[settings.Option, ...] | None = None) -> str:
    """``page`` with its generated block replaced by the current one."""
    return _replace_block(page, PAGE, BEGIN, END, options_reference(options))


def _replace_block(text: str, name: str, begin: str, end: str, block: str) -> str:
    """``text`` with what stands between the markers ``begin`` and ``end`` replaced."""
    head, found, rest = text.partition(begin)
    _, found_end, tail = rest.partition(end)
    if not found or not found_end:
        raise ValueError(f"{name} lacks the {begin!r} ... {end!r} markers")
    return f"{head}{begin}\n{block}\n{end}{tail}"


def write_options_page(docs_dir: Path) -> bool:
    """Rewrite ``docs_dir/configuration.md``; True when it changed."""
    return _rewrite(docs_dir / PAGE, render)


def readme_rules_table() -> str:
    """The rule table of the README, between :data:`README_BEGIN` and :data:`README_END`."""
    lines = ["| code | name | default |", "| --- | --- | --- |"]
    for rule in registry.rules():
        default = "on" if rule.enabled_by_default else "off"
        lines.append(f"| [{rule.code}](docs/rules/{rule.code}.md) | {rule.name} | {default} |")
    return "\n".join(lines)


def render_readme(text: str) -> str:
    return _replace_block(text, "README.md", README_BEGIN, README_END, readme_rules_table())


def write_readme(readme: Path) -> bool:
    """Rewrite the README's rule table; True when it changed."""
    return _rewrite(readme, render_readme)


USES_PAGE = "inference.md"
USES_BEGIN = "<!-- BEGIN uses: generated from analysis/uses.py, do not edit -->"
USES_END = "<!-- END uses -->"


def render_uses(text: str) -> str:
    """docs/inference.md with its table of uses (:data:`..analysis.uses.USES`) current."""
    return _replace_block(text, USES_PAGE, USES_BEGIN, USES_END, uses.uses_table())


def write_all(docs_dir: Path) -> list[Path]:
    """Everything rendered from the code, for ``docs_dir`` (a checkout's
    ``docs``): the rule pages, and the option reference, the table of uses
    and the README's rule table where those files exist. The paths written
    or changed."""
    written = write_rule_pages(docs_dir)
    if (docs_dir / PAGE).is_file() and write_options_page(docs_dir):
        written.append(docs_dir / PAGE)
    if (docs_dir / USES_PAGE).is_file() and _rewrite(docs_dir / USES_PAGE, render_uses):
        written.append(docs_dir / USES_PAGE)
    readme = docs_dir.parent / "README.md"
    if readme.is_file() and write_readme(readme):
        written.append(readme)
    return written


def _rewrite(path: Path, render_text: Callable[[str], str]) -> bool:
    old = path.read_text(encoding="utf-8")
    new = render_text(old)
    if new != old:
        path.write_text(new, encoding="utf-8")
    return new != old


def rules_nav() -> list[Any]:
    """The "Rules" section of the site's navigation: the index, then each rule."""
    pages = [{f"{rule.code} {rule.name}": f"rules/{rule.code}.md"} for rule in registry.rules()]
    return ["rules/index.md", *pages]


def on_config(config: Any, **_: Any) -> Any:
    """mkdocs hook: expand the nav entry ``Rules: rules/index.md`` into every rule page."""
    for entry in config["nav"] or []:
        if isinstance(entry, dict) and entry.get("Rules") == "rules/index.md":
            entry["Rules"] = rules_nav()
    return config


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    """mkdocs hook: the site's configuration page always shows the current options."""
    if page.file.src_uri == PAGE:
        return render(markdown)
    return markdown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m flake8_async_tasks.docs",
        description=(
            f"Regenerate the option reference in DOCS_DIR/{PAGE} and, when they exist, the table of uses "
            f"in DOCS_DIR/{USES_PAGE} and the rule table of DOCS_DIR/../README.md."
        ),
    )
    parser.add_argument("docs_dir", type=Path, nargs="?", default=Path("docs"))
    parser.add_argument("--check", action="store_true", help="only report whether the pages are current")
    args = parser.parse_args(argv)
    # ``render``'s second parameter has a default: it is called with the page alone.
    targets: list[tuple[Path, Callable[[str], str]]] = [(args.docs_dir / PAGE, render)]
    if (args.docs_dir / USES_PAGE).is_file():
        targets.append((args.docs_dir / USES_PAGE, render_uses))
    readme = args.docs_dir.parent / "README.md"
    if readme.is_file():
        targets.append((readme, render_readme))
    stale = 0
    for path, render_text in targets:
        if args.check:
            current = path.read_text(encoding="utf-8")
            if render_text(current) != current:
                print(f"{path} is out of date: run `{REGENERATE}`", file=sys.stderr)
                stale += 1
        else:
            print(f"{path}: {'updated' if _rewrite(path, render_text) else 'already current'}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
