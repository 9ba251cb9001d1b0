"""The rule catalogue, its pages under docs/rules/ and its examples agree."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aio_harness import parse_annotations, run_flake8
from flake8_async_tasks import docs, registry
from flake8_async_tasks.checks import FAMILIES, coroutines, tasks
from flake8_async_tasks.rule import Rule

REPO = Path(__file__).resolve().parents[1]
RULES_DIR = REPO / "docs" / "rules"
EVAL_DIR = Path(__file__).parent / "eval_files"
RULES = registry.rules()
IDS = [r.code for r in RULES]

REGENERATE = "python -m flake8_async_tasks docs docs"
REQUIRED = ["What it does", "Why is this bad?", "Example", "Use instead"]
OPTIONAL = ["Known limitations", "Options", "References"]


def _headings(rule) -> list[str]:
    return re.findall(r"^## (.+)$", rule.doc(), flags=re.M)


def _python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


# ----------------------------------------------------------- generated pages


def test_committed_rule_pages_are_current():
    expected = docs.pages()
    committed = {p.name: p.read_text(encoding="utf-8") for p in RULES_DIR.glob("*.md")}
    stale = sorted(name for name in expected if committed.get(name) != expected[name])
    extra = sorted(set(committed) - set(expected))
    assert not stale and not extra, (
        f"docs/rules/ is out of date (stale: {stale}, not generated: {extra}); "
        f"regenerate it with `{REGENERATE}` and commit the result"
    )


def test_every_rule_has_a_page_and_an_index_row():
    index = (RULES_DIR / "index.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert (RULES_DIR / f"{rule.code}.md").exists()
        assert f"[{rule.code}]({rule.code}.md) | {rule.name} |" in index


# ------------------------------------------------------------------ sections


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_sections_in_order(rule):
    headings = _headings(rule)
    assert headings[:4] == REQUIRED, f"{rule.code}: sections are {headings}"
    rest = headings[4:]
    assert all(h in OPTIONAL for h in rest), f"{rule.code}: unexpected sections {rest}"
    assert rest == sorted(rest, key=OPTIONAL.index), f"{rule.code}: optional sections out of order: {rest}"
    for title in headings:
        assert rule.section(title).strip(), f"{rule.code}: empty section {title!r}"


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_examples_are_complete_python(rule):
    for title in ("Example", "Use instead"):
        blocks = _python_blocks(rule.section(title))
        assert blocks, f"{rule.code}: no python block under {title!r}"
        for block in blocks:
            compile(block, f"<{rule.code} {title}>", "exec")


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_off_by_default_rules_say_how_to_turn_them_on(rule):
    if rule.enabled_by_default:
        assert "off by default" not in rule.doc()
    else:
        assert "off by default" in rule.doc()
        assert f"extend-select = {rule.code}" in rule.doc()


# ---------------------------------------------------- examples run as linted


def _codes_by_file(root: Path) -> dict[str, set[str]]:
    """flake8 with every rule selected over the files in ``root``: file stem
    -> codes reported."""
    run = run_flake8(["--select=AIO", str(root)])
    found: dict[str, set[str]] = {p.stem: set() for p in root.glob("*.py")}
    for v in run.violations:
        found[Path(v.filename).stem].add(v.code)
    return found


@pytest.fixture(scope="module")
def example_findings(tmp_path_factory) -> dict[str, set[str]]:
    """Every Example / Use instead block through flake8 in one run, with every
    rule selected: file stem -> codes reported."""
    root = tmp_path_factory.mktemp("doc_examples")
    for rule in RULES:
        for title, tag in (("Example", "example"), ("Use instead", "use_instead")):
            for i, block in enumerate(_python_blocks(rule.section(title))):
                (root / f"{rule.code}_{tag}_{i}.py").write_text(block, encoding="utf-8")
    return _codes_by_file(root)


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_example_reports_the_rule(rule, example_findings):
    stems = [s for s in example_findings if s.startswith(f"{rule.code}_example_")]
    assert stems
    for stem in stems:
        assert rule.code in example_findings[stem], f"{stem} reports {sorted(example_findings[stem])}"


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_use_instead_reports_nothing(rule, example_findings):
    stems = [s for s in example_findings if s.startswith(f"{rule.code}_use_instead_")]
    assert stems
    for stem in stems:
        assert example_findings[stem] == set(), f"{stem} reports {sorted(example_findings[stem])}"


# --------------------------------------------------------- catalogue checks


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_every_rule_has_an_eval_file_that_expects_it(rule):
    files = sorted(EVAL_DIR.glob(f"{rule.code.lower()}_*.py"))
    assert files, f"no tests/eval_files/{rule.code.lower()}_<name>.py"
    expected = {e.code for f in files for e in parse_annotations(f.read_text(encoding="utf-8"))}
    assert rule.code in expected, f"{[f.name for f in files]} never expect {rule.code}"


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_message_is_one_line_without_a_trailing_period(rule):
    message = rule.message
    assert "\n" not in message
    assert not message.rstrip().endswith("."), message
    assert message == message.strip()
    assert "`{" in message, "messages name the offending expression in backticks"


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_names_describe_the_pattern_in_kebab_case(rule):
    assert re.fullmatch(r"[a-z]+(-[a-z]+)+", rule.name), rule.name
    assert re.fullmatch(r"AIO[12]\d\d", rule.code), rule.code


def test_codes_and_names_are_unique():
    declared = [rule for family in FAMILIES for rule in family.rules]
    assert len({r.code for r in RULES}) == len({r.name for r in RULES}) == len(RULES) == len(declared)


def test_the_catalogue_is_every_rule_the_families_declare():
    """A rule exists by being declared in its family: every Rule subclass in
    the checks is declared there, and nothing else is."""
    defined = {
        obj for module in (tasks, coroutines) for obj in vars(module).values()
        if isinstance(obj, type) and issubclass(obj, Rule) and obj is not Rule
    }
    assert defined == set(RULES)


def test_the_readme_rule_table_is_current():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert docs.render_readme(readme) == readme, (
        "README.md's rule table is out of date: run " + docs.REGENERATE)
    for rule in RULES:
        assert f"| [{rule.code}](docs/rules/{rule.code}.md) | {rule.name} |" in readme


# ------------------------------------------------------- advice that is right

# What each message advises, written as code: (what the message says, the
# replacements that apply it to the rule's Example). Every rule needs a row.
ADVICE = {
    "AIO101": ("use a TaskGroup", [(
        "    asyncio.create_task(refresh())\n    await asyncio.sleep(1)\n",
        (
            "    async with asyncio.TaskGroup() as tg:\n        tg.create_task(refresh())\n"
            "        await asyncio.sleep(1)\n"
        ),
    )]),
    "AIO102": ("await it", [("    await count(1)\n", "    await count(1)\n    await slow\n")]),
    "AIO103": ("await it, suppressing CancelledError", [
        ("import asyncio\n", "import asyncio\nimport contextlib\n"),
        ("    ticker.cancel()\n", (
            "    ticker.cancel()\n    with contextlib.suppress(asyncio.CancelledError):\n"
            "        await ticker\n")),
    ]),
    "AIO104": ("await the coroutine directly", [("await asyncio.create_task(fetch())", "await fetch()")]),
    "AIO105": ("pass a call such as", [("create_task(fetch)", "create_task(fetch())")]),
    "AIO106": ("await it", [("    asyncio.gather(", "    await asyncio.gather(")]),
    "AIO107": ("check it in a done callback", [(
        "    asyncio.run_coroutine_threadsafe(save(item), loop)\n",
        (
            "    future = asyncio.run_coroutine_threadsafe(save(item), loop)\n"
            "    future.add_done_callback(lambda done: done.cancelled() or done.exception())\n"
        ),
    )]),
    "AIO201": ("await it", [("    save()\n", "    await save()\n")]),
    "AIO202": ("await it", [("await first", "await asyncio.gather(first, second)")]),
    "AIO203": ("add `await`", [("if is_ready()", "if await is_ready()")]),
    "AIO204": ("schedule a plain function that creates and keeps a task", [
        ("async def main():", (
            "def start_heartbeat():\n    task = asyncio.create_task(heartbeat())\n"
            "    background.add(task)\n    task.add_done_callback(background.discard)\n\n\n"
            "background = set()\n\n\nasync def main():")),
        ("loop.call_later(5, heartbeat)", "loop.call_later(5, start_heartbeat)"),
    ]),
    "AIO205": ("await the coroutine instead", [("asyncio.run(load())", "await load()")]),
}

# Short sample fields, as the checks fill them for a typical call.
SAMPLE_FIELDS = {
    "call": "asyncio.create_task()", "name": "slow", "what": "the async function `fetch` itself",
    "fix": "fetch()", "context": "an `if` test", "func": "main",
}
SAMPLE_CALLS = {
    "AIO107": "asyncio.run_coroutine_threadsafe()", "AIO106": "asyncio.gather()", "AIO201": "save()",
    "AIO202": "count()", "AIO203": "is_ready()", "AIO205": "asyncio.run()",
}


def _sample_messages(rule) -> list[str]:
    fields = {**SAMPLE_FIELDS, "call": SAMPLE_CALLS.get(rule.code, SAMPLE_FIELDS["call"])}
    if rule is coroutines.AsyncCallbackInSyncSlot:
        return [
            rule.message.format(**{**fields, "call": "loop.call_later()", "func": "heartbeat",
                                   "fix": fix.format(func="heartbeat")})
            for fix in rule.fixes.values()
        ]
    return [rule.message.format(**fields)]


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_message_is_at_most_150_characters(rule):
    for message in _sample_messages(rule):
        assert len(message) <= 150, f"{len(message)} characters: {message}"


@pytest.fixture(scope="module")
def advice_findings(tmp_path_factory) -> dict[str, set[str]]:
    """Each rule's Example with its message's advice applied, through flake8
    with every rule selected (AIO103 and AIO104 included): code -> codes."""
    root = tmp_path_factory.mktemp("advice")
    for rule in RULES:
        if rule.code not in ADVICE:
            continue
        source = _python_blocks(rule.section("Example"))[0]
        for old, new in ADVICE[rule.code][1]:
            assert old in source, f"{rule.code}: the advice table no longer matches the Example ({old!r})"
            source = source.replace(old, new, 1)
        (root / f"{rule.code}.py").write_text(source, encoding="utf-8")
    return _codes_by_file(root)


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_following_the_message_leaves_no_finding(rule, advice_findings):
    """The fix a message advises, applied to its Example, is silent under
    every rule: advice never leads to another finding."""
    assert rule.code in ADVICE, f"{rule.code}: add the fix its message advises to ADVICE"
    says, _ = ADVICE[rule.code]
    assert says in rule.message or any(says in fix for fix in getattr(rule, "fixes", {}).values()), (
        f"{rule.code}: the message no longer says {says!r}; update ADVICE"
    )
    assert advice_findings[rule.code] == set(), (
        f"{rule.code} with its advice applied reports {advice_findings[rule.code]}")


def test_the_examples_run_with_every_rule_on(example_findings):
    """The Use instead blocks are linted with AIO103 and AIO104 on too."""
    assert "AIO104" in example_findings["AIO104_example_0"]
    assert "AIO103" in example_findings["AIO103_example_0"]
