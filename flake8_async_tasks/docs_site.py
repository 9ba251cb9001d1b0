"""The generated part of the docs site: the reference of the plugin's options.

``docs/configuration.md`` is written by hand except for the block between
:data:`BEGIN` and :data:`END`, which is rendered here from the option table
in :mod:`flake8_async_tasks.settings`. An option added to that table appears
in the docs without anyone editing them:

- ``python -m flake8_async_tasks.docs_site docs`` rewrites the block in the
  committed page (a test checks that it is current, so GitHub readers see the
  same page as the site);
- ``mkdocs build`` loads this file as a hook (see ``mkdocs.yml``) and renders
  the block afresh into the site, whatever the committed page says.

The same hook fills the "Rules" entry of the site's navigation with one page
per registered rule, so a new rule needs no edit of ``mkdocs.yml``.

mkdocs loads hooks by file path, outside the package, so this module imports
the package by its absolute name.
"""

from __future__ import annotations

import argparse
import inspect
import sys
from pathlib import Path
from typing import Any

from flake8_async_tasks import registry, settings

PAGE = "configuration.md"
BEGIN = "<!-- BEGIN options: generated from flake8_async_tasks/settings.py, do not edit -->"
END = "<!-- END options -->"
REGENERATE = "python -m flake8_async_tasks.docs_site docs"


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
        f"flake8 {option.flag}={option.example} src/",
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
        "starting `flake8-async-tasks: error:` and exit status 2, before any file is linted.",
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
    head, found, rest = page.partition(BEGIN)
    _, found_end, tail = rest.partition(END)
    if not found or not found_end:
        raise ValueError(f"{PAGE} lacks the {BEGIN!r} ... {END!r} markers")
    return f"{head}{BEGIN}\n{options_reference(options)}\n{END}{tail}"


def write(docs_dir: Path) -> bool:
    """Rewrite ``docs_dir/configuration.md``; True when it changed."""
    path = docs_dir / PAGE
    old = path.read_text(encoding="utf-8")
    new = render(old)
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
        prog="python -m flake8_async_tasks.docs_site",
        description=f"Regenerate the option reference in DOCS_DIR/{PAGE}.",
    )
    parser.add_argument("docs_dir", type=Path, nargs="?", default=Path("docs"))
    parser.add_argument("--check", action="store_true", help="only report whether the page is current")
    args = parser.parse_args(argv)
    path = args.docs_dir / PAGE
    if args.check:
        current = path.read_text(encoding="utf-8")
        if render(current) != current:
            print(f"{path} is out of date: run `{REGENERATE}`", file=sys.stderr)
            return 1
        return 0
    print(f"{path}: {'updated' if write(args.docs_dir) else 'already current'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
