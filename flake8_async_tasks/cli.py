"""``flake8-async-tasks explain AIO101`` and friends."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import __version__, docs, registry


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        # ``explain AIO101 | head``: the reader left; that is not an error.
        # Point stdout at devnull so the interpreter's final flush stays quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _main(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(
        prog="flake8-async-tasks",
        description=(
            "Documentation of the flake8-async-tasks rules, and fixes for the findings that have a "
            "safe one. Linting itself runs through flake8."
        ),
    )
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="command", required=True)
    explain = commands.add_parser("explain", help="print the full documentation of a rule")
    explain.add_argument("code", help="a rule code such as AIO101, or a rule name such as dropped-task")
    listing = commands.add_parser("rules", help="list every rule")
    listing.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="json: one object per rule (code, name, default, summary, url, fixable)",
    )
    write = commands.add_parser(
        "docs",
        help="write the rule pages into DIR/rules, and DIR/configuration.md's option reference, "
        "DIR/inference.md's table of uses and DIR/../README.md's rule table where those files exist",
    )
    write.add_argument("dir", type=Path)
    cache = commands.add_parser("cache", help="show where the summary cache is and how big, or clear it")
    cache.add_argument("action", nargs="?", choices=("show", "clear"), default="show")
    cache.add_argument("--cache-dir", default="", help="the directory --aio-cache-dir names, if any")
    commands.add_parser(
        "fix",
        add_help=False,
        help="insert the missing await of AIO201, AIO203, AIO106 and AIO205 findings, or with --add-noqa "
        "silence every current finding (see fix --help)",
    )
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["fix"]:
        # fix hands every option it does not know to flake8 (--isolated,
        # --aio-inference off, ...), so argparse here must not see them.
        from . import fix  # imports flake8, which the other commands do not need

        return fix.main(argv[1:])
    args = parser.parse_args(argv)

    if args.command == "explain":
        rule = registry.get(args.code) or _by_name(args.code)
        if rule is None:
            known = ", ".join(r.code for r in registry.rules())
            print(f"flake8-async-tasks: unknown rule {args.code!r}; known rules: {known}", file=sys.stderr)
            return 2
        print(docs.rule_page(rule).split("\n", 2)[2].rstrip())
        print(f"\nOnline: {docs.metadata(rule)['url']}")
        return 0
    if args.command == "cache":
        return _cache(args.action, args.cache_dir)
    if args.command == "rules":
        if args.format == "json":
            print(json.dumps([docs.metadata(rule) for rule in registry.rules()], indent=2))
            return 0
        for rule in registry.rules():
            default = "" if rule.enabled_by_default else "  (off by default)"
            print(f"{rule.code}  {rule.name}{default}")
        return 0
    for path in docs.write_all(args.dir):
        print(path)
    return 0


def _cache(action: str, setting: str) -> int:
    from .analysis.inference import cache

    store = cache.Store(cache.location(setting))
    if store.root is None:
        print("flake8-async-tasks: the summary cache is off")
        return 0
    if action == "clear":
        removed = store.clear()
        print(f"{store.root}: removed {removed} entr{'y' if removed == 1 else 'ies'}")
        return 0
    entries = store.entries()
    size = sum(entry[1] for entry in entries)
    print(f"{store.root}: {len(entries)} entr{'y' if len(entries) == 1 else 'ies'}, {size / 1024:.0f} KiB "
          f"(bound: {cache.MAX_ENTRIES} entries, {cache.MAX_BYTES // (1024 * 1024)} MiB)")
    return 0


def _by_name(name: str) -> type[registry.Rule] | None:
    return next((r for r in registry.rules() if r.name == name.strip().lower()), None)
