"""The rule catalogue, its pages under docs/rules/ and its examples agree."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
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
    "AIO101": ("keep it in a set with add_done_callback(set.discard)", [
        ("import asyncio\n", "import asyncio\n\nbackground = set()\n"),
        ("    asyncio.create_task(refresh())\n",
         ("    task = asyncio.create_task(refresh())\n    background.add(task)\n"
         "    task.add_done_callback(background.discard)\n")),
    ]),
    "AIO102": ("await it before", [("    await count(1)\n", "    await count(1)\n    await slow\n")]),
    "AIO103": ("await it in asyncio.gather(", [
        (
            "    ticker.cancel()\n",
            "    ticker.cancel()\n    await asyncio.gather(ticker, return_exceptions=True)\n",
        ),
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
    "fix": "fetch()", "context": "an `if` test", "func": "main", "keeper": "app.jobs.spawn_tracked",
}
SAMPLE_CALLS = {
    "AIO107": "asyncio.run_coroutine_threadsafe()", "AIO106": "asyncio.gather()", "AIO201": "save()",
    "AIO202": "count()", "AIO203": "is_ready()", "AIO205": "asyncio.run()",
}


def _sample_messages(rule) -> list[str]:
    """The message with sample fields, once for each of its fixes and claims
    (a rule's ``fixes`` and ``claims`` tables, by site or slot)."""
    fields = {**SAMPLE_FIELDS, "call": SAMPLE_CALLS.get(rule.code, SAMPLE_FIELDS["call"])}
    if rule is coroutines.AsyncCallbackInSyncSlot:
        fields.update(call="loop.call_later()", func="heartbeat")
    if rule is coroutines.CoroutineUsedAsValue:
        contexts = {"await": fields["context"], "generator": "a generator's `yield from`"}
        return [rule.message.format(**{**fields, "fix": fix, "context": contexts[kind]})
                for kind, fix in rule.fixes.items()]
    fixes = [fix.format(**fields) for fix in getattr(rule, "fixes", {}).values()] or [fields["fix"]]
    claims = list(getattr(rule, "claims", {}).values()) or [""]
    return [
        rule.message.format(**{**fields, "fix": fix, "claim": claim}) for fix in fixes for claim in claims
    ]


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


# ------------------------------------------------- advice that fits the site

# For each kind of site where a task is made (issue 14): a program with the
# finding, what its message must advise there, and that advice applied
# literally. The fixed program must parse, lint silent under every rule and,
# run under asyncio.run(main()), end with nothing in the loop's exception
# handler. A pyproject.toml says which Python the program supports:
# "3.10" has no TaskGroup, "3.11" has.
SITE_HEAD = "import asyncio\n\n\nasync def work(n=0):\n    await asyncio.sleep(0)\n    return n\n\n\n"
KEEP = "keep it in a set with add_done_callback(set.discard)"
BACKGROUND = ("import asyncio\n", "import asyncio\n\nbackground = set()\n")


def _kept(indent: str, name: str, call: str) -> str:
    return (
        f"{indent}{name} = {call}\n{indent}background.add({name})\n"
        f"{indent}{name}.add_done_callback(background.discard)\n"
    )


SITES = {
    "AIO101 plain def (protocol callback)": {
        "code": "AIO101", "python": "3.10", "says": KEEP,
        "source": SITE_HEAD + "class Protocol(asyncio.Protocol):\n    def data_received(self, data):\n"
        "        asyncio.create_task(work(len(data)))\n\n\nasync def main():\n"
        "    Protocol().data_received(b'x')\n    await asyncio.sleep(0)\n",
        "fix": [BACKGROUND, ("        asyncio.create_task(work(len(data)))\n",
                          _kept("        ", "task", "asyncio.create_task(work(len(data)))"))],
    },
    "AIO101 plain def with a keeper": {
        "code": "AIO101", "python": "3.10", "says": "pass the coroutine to `keepers.spawn_tracked()`",
        "options": ["--aio-task-keepers=keepers.spawn_tracked"],
        "source": SITE_HEAD + "def on_event(loop: asyncio.AbstractEventLoop):\n"
        "    loop.create_task(work())\n\n\n"
        "async def main():\n    on_event(asyncio.get_running_loop())\n    await asyncio.sleep(0)\n",
        "fix": [("import asyncio\n", "import asyncio\n\nimport keepers\n"),
             ("    loop.create_task(work())\n", "    keepers.spawn_tracked(work())\n")],
    },
    "AIO101 plain def (a lambda in a callback slot)": {
        "code": "AIO101", "python": "3.10", "says": "make the lambda a def that keeps it in a set",
        "source": SITE_HEAD + "def schedule(loop: asyncio.AbstractEventLoop):\n"
        "    loop.call_soon(lambda: asyncio.create_task(work()))\n\n\n"
        "async def main():\n    schedule(asyncio.get_running_loop())\n    await asyncio.sleep(0)\n"
        "    await asyncio.sleep(0)\n",
        "fix": [BACKGROUND, ("    loop.call_soon(lambda: asyncio.create_task(work()))\n",
                          "    def start():\n" + _kept("        ", "task", "asyncio.create_task(work())")
                          + "\n    loop.call_soon(start)\n")],
    },
    "AIO101 async def needing the outcome (try/except)": {
        "code": "AIO101", "python": "3.10", "says": "await the coroutine in the `try`",
        "source": SITE_HEAD + "async def set_failsafe(timeout):\n    await asyncio.sleep(0)\n"
        "    if timeout < 0:\n"
        "        raise ValueError('negative timeout')\n\n\nasync def main():\n    try:\n"
        "        asyncio.create_task(set_failsafe(-1))\n    except ValueError as error:\n"
        "        print('no failsafe:', error)\n    await asyncio.sleep(0)\n    await asyncio.sleep(0)\n",
        "fix": [("        asyncio.create_task(set_failsafe(-1))\n", "        await set_failsafe(-1)\n")],
        "broken_run_fails": True,
    },
    "AIO101 async def, the task outlives the call (delayed delete)": {
        "code": "AIO101", "python": "3.11", "says": KEEP,
        "source": SITE_HEAD + "async def send():\n    asyncio.create_task(work(1))\n    return 'sent'\n\n\n"
        "async def main():\n    print(await send())\n",
        "fix": [BACKGROUND, ("    asyncio.create_task(work(1))\n",
                          _kept("    ", "task", "asyncio.create_task(work(1))"))],
    },
    "AIO101 async def, the task outlives the call (a lifespan local)": {
        "code": "AIO101", "python": "3.11", "says": KEEP,
        "source": SITE_HEAD + "async def startup():\n"
        "    lifespan = asyncio.get_running_loop().create_task(work())\n    await asyncio.sleep(0)\n\n\n"
        "async def main():\n    await startup()\n",
        "fix": [BACKGROUND, ("    lifespan = asyncio.get_running_loop().create_task(work())\n",
                          _kept("    ", "lifespan", "asyncio.get_running_loop().create_task(work())"))],
    },
    "AIO102 async def needing the outcome": {
        "code": "AIO102", "python": "3.10", "says": "await it before the function returns",
        "source": SITE_HEAD + "async def main():\n    task = asyncio.create_task(work())\n"
        "    print(task.get_name())\n    await work(1)\n",
        "fix": [("    await work(1)\n", "    await work(1)\n    await task\n")],
    },
    "AIO102 async def needing the outcome, on Python 3.11": {
        "code": "AIO102", "python": "3.11", "says": "await it before returning, or use a TaskGroup",
        "task_group": True,
        "source": SITE_HEAD + "async def main():\n    task = asyncio.create_task(work())\n"
        "    print(task.get_name())\n    await work(1)\n",
        "fix": [("    task = asyncio.create_task(work())\n    print(task.get_name())\n    await work(1)\n",
              ("    async with asyncio.TaskGroup() as tg:\n        task = tg.create_task(work())\n"
              "        print(task.get_name())\n        await work(1)\n"))],
    },
    "AIO102 async def, cancelled (AIO103 off)": {
        "code": "AIO102", "python": "3.10", "says": "after cancel(), gather it with return_exceptions=True",
        "options": ["--extend-ignore=AIO103"],
        "source": SITE_HEAD + "async def main():\n    task = asyncio.create_task(asyncio.sleep(60))\n"
        "    await work()\n    if not task.done():\n        task.cancel()\n",
        "fix": [("        task.cancel()\n",
                 "        task.cancel()\n        await asyncio.gather(task, return_exceptions=True)\n")],
    },
    "AIO102 plain def": {
        "code": "AIO102", "python": "3.10", "says": KEEP,
        "source": SITE_HEAD + "def start(loop: asyncio.AbstractEventLoop):\n"
        "    task = loop.create_task(work())\n"
        "    task.set_name('worker')\n\n\nasync def main():\n    start(asyncio.get_running_loop())\n"
        "    await asyncio.sleep(0)\n",
        "fix": [BACKGROUND, ("    task.set_name('worker')\n",
                          ("    task.set_name('worker')\n    background.add(task)\n"
                          "    task.add_done_callback(background.discard)\n"))],
    },
    "AIO102 async def, the task outlives the call (done callback)": {
        "code": "AIO102", "python": "3.11", "says": KEEP,
        "source": SITE_HEAD + "def on_done(task):\n    print('done', task.get_name())\n\n\n"
        "async def start():\n    task = asyncio.create_task(work())\n"
        "    task.add_done_callback(on_done)\n\n\n"
        "async def main():\n    await start()\n    await asyncio.sleep(0)\n",
        "fix": [BACKGROUND, ("    task.add_done_callback(on_done)\n",
                          ("    task.add_done_callback(on_done)\n    background.add(task)\n"
                          "    task.add_done_callback(background.discard)\n"))],
    },
    "AIO103 async def": {
        "code": "AIO103", "python": "3.11", "says": "await it in asyncio.gather(..., return_exceptions=True)",
        "source": SITE_HEAD + "async def main():\n    ticker = asyncio.create_task(asyncio.sleep(60))\n"
        "    await work()\n    ticker.cancel()\n",
        "fix": [("    ticker.cancel()\n",
                 "    ticker.cancel()\n    await asyncio.gather(ticker, return_exceptions=True)\n")],
    },
    "AIO103 plain def": {
        "code": "AIO103", "python": "3.10", "says": "keep it in a set that a coroutine awaits",
        "source": SITE_HEAD + "def stop(loop: asyncio.AbstractEventLoop):\n"
        "    ticker = loop.create_task(asyncio.sleep(60))\n    ticker.cancel()\n\n\n"
        "async def main():\n    stop(asyncio.get_running_loop())\n    await asyncio.sleep(0)\n",
        "fix": [("import asyncio\n", "import asyncio\n\nstopping = set()\n"),
             ("    ticker.cancel()\n", "    ticker.cancel()\n    stopping.add(ticker)\n"),
             ("    await asyncio.sleep(0)\n",
              "    await asyncio.gather(*stopping, return_exceptions=True)\n")],
    },
}
SITE_IDS = list(SITES)
KEEPERS_MODULE = '''import asyncio

_tasks = set()


def spawn_tracked(coroutine):
    task = asyncio.get_running_loop().create_task(coroutine)
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
    return task
'''
RUNNER = '''import asyncio, gc, runpy, sys

namespace = runpy.run_path(sys.argv[1])
errors = []


async def run():
    asyncio.get_running_loop().set_exception_handler(lambda loop, context: errors.append(context["message"]))
    await namespace["main"]()


asyncio.run(run())
gc.collect()
sys.exit(f"the loop's exception handler was called: {errors}" if errors else 0)
'''


def _site_file(root: Path, key: str, fixed: bool) -> Path:
    case = SITES[key]
    source = case["source"]
    if fixed:
        for old, new in case["fix"]:
            assert old in source, f"{key}: the fix no longer matches the program ({old!r})"
            source = source.replace(old, new, 1)
    folder = root / f"py{case['python'].replace('.', '')}" / ("fixed" if fixed else "found")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"site_{SITE_IDS.index(key)}.py"
    path.write_text(source, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def site_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sites")
    for python in ("3.10", "3.11"):
        folder = root / f"py{python.replace('.', '')}"
        folder.mkdir()
        (folder / "pyproject.toml").write_text(f'[project]\nname = "sites"\nrequires-python = ">={python}"\n')
    (root / "keepers.py").write_text(KEEPERS_MODULE, encoding="utf-8")
    return root


@pytest.mark.parametrize("key", SITE_IDS)
def test_the_message_gives_the_fix_of_its_site(key, site_root):
    case = SITES[key]
    path = _site_file(site_root, key, fixed=False)
    run = run_flake8(["--select=AIO", *case.get("options", []), str(path)])
    found = [v for v in run.violations if v.code == case["code"]]
    assert len(found) == 1, f"{key}: {[(v.code, v.text) for v in run.violations]}"
    assert found[0].text.endswith(case["says"]), f"{key}: {found[0].text}"


@pytest.mark.parametrize("key", SITE_IDS)
def test_the_fix_applied_literally_is_silent_and_runs(key, site_root):
    case = SITES[key]
    path = _site_file(site_root, key, fixed=True)
    compile(path.read_text(encoding="utf-8"), str(path), "exec")
    run = run_flake8(["--select=AIO", str(path)])
    assert run.violations == [], f"{key}: {[(v.code, v.text) for v in run.violations]}"
    if case.get("task_group") and sys.version_info < (3, 11):
        pytest.skip("TaskGroup needs Python 3.11")
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, str(path)], cwd=site_root, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(site_root)},
    )
    assert result.returncode == 0, f"{key}: {result.stdout}{result.stderr}"
    assert "never retrieved" not in result.stderr and "destroyed" not in result.stderr, result.stderr


@pytest.mark.parametrize("key", [key for key in SITE_IDS if SITES[key].get("broken_run_fails")])
def test_the_runner_sees_the_bug_the_fix_removes(key, site_root):
    """The unfixed program loses its error to the loop's exception handler,
    which is what the run of the fixed one checks is empty."""
    path = _site_file(site_root, key, fixed=False)
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, str(path)], cwd=site_root, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0 and "never retrieved" in result.stderr, result.stderr


_PLAIN_GENERATOR = '''\
import asyncio


async def fetch():
    await asyncio.sleep(0)
    return 1


class Result:
    def __await__(self):
        return (yield from fetch())


def legacy():
    value = yield from fetch()
    return value
'''


def test_plain_generator_advice_applied_literally_is_silent(tmp_path):
    """AIO203 in a plain generator (issue 14): ``await`` is a SyntaxError there,
    so the message offers ``.__await__()`` or ``async def`` and ``await``; each,
    applied as written, parses, runs and reports nothing."""
    (tmp_path / "before.py").write_text(_PLAIN_GENERATOR, encoding="utf-8")
    run = run_flake8(["--select=AIO", str(tmp_path / "before.py")])
    messages = [v.text for v in run.violations]
    assert [v.code for v in run.violations] == ["AIO203", "AIO203"]
    assert all("append `.__await__()`, or make it `async def` and `await`" in m for m in messages)
    dunder = _PLAIN_GENERATOR.replace("yield from fetch()", "yield from fetch().__await__()")
    async_def = _PLAIN_GENERATOR.replace("def legacy():\n    value = yield from fetch()",
                                         "async def legacy():\n    value = await fetch()")
    async_def = async_def.replace("return (yield from fetch())", "return (yield from fetch().__await__())")
    for name, source in {"dunder": dunder, "async_def": async_def}.items():
        namespace: dict = {}
        exec(compile(source, name, "exec"), namespace)
        assert asyncio.run(_await(namespace["Result"]())) == 1
        (tmp_path / f"{name}.py").write_text(source, encoding="utf-8")
    assert _codes_by_file(tmp_path) == {"before": {"AIO203"}, "dunder": set(), "async_def": set()}


async def _await(awaitable):
    return await awaitable
