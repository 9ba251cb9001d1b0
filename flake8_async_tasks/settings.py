"""The plugin's options: one table that flake8 registration, validation and
the configuration reference in ``docs/`` all read.

Every option is ``--aio-...`` on the command line and ``aio-...`` in flake8's
configuration files (``setup.cfg``, ``tox.ini``, ``.flake8``). No name may be
a prefix of one of flake8's own options: flake8 accepts abbreviations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from .analysis.inference.kinds import Level
from .analysis.inference.policy import MAX_MODULE_SIZE_CEILING

_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_SIZE = re.compile(r"^([0-9]+)([kKmM]?)$")


class ConfigError(ValueError):
    """A bad option value; the message is shown to the user as one line."""


@dataclass(frozen=True)
class Option:
    flag: str  # "--aio-inference"
    help: str
    default: Any
    example: str  # a value for the docs' example config line
    comma_separated: bool = False
    choices: tuple[str, ...] = ()
    validate: Callable[[str], Any] | None = None  # per item; raises ConfigError
    convert: Callable[[str], Any] | None = None  # the checked text to the Settings value

    @property
    def dest(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")

    @property
    def config_name(self) -> str:
        return self.flag.lstrip("-")

    def parse(self, raw: Any) -> Any:
        """Normalise and validate what flake8 parsed (a string or a list)."""
        if self.comma_separated:
            items = raw if isinstance(raw, (list, tuple)) else str(raw or "").split(",")
            values = tuple(item.strip() for item in items if item and item.strip())
            for value in values:
                self._check(value)
            return values
        value = str(raw).strip()
        self._check(value)
        return self.convert(value) if self.convert is not None else value

    def _check(self, value: str) -> None:
        if self.choices and value not in self.choices:
            raise ConfigError(
                f"{self.flag}: invalid value {value!r} (choose from {', '.join(self.choices)})"
            )
        if self.validate is not None:
            try:
                self.validate(value)
            except ConfigError as error:
                raise ConfigError(f"{self.flag}: {error}") from None


def dotted_name(value: str) -> None:
    """A fully qualified name such as ``app.utils.spawn``."""
    if not _DOTTED.match(value) or "." not in value:
        raise ConfigError(f"{value!r} is not a qualified name such as 'package.module.function'")


def dotted_name_or_module_pattern(value: str) -> None:
    """``app.utils.spawn``, or ``app.utils.*`` for every function of a module."""
    if value.endswith(".*"):
        module = value[:-2]
        if not _DOTTED.match(module):  # ``app.*`` names a module, as ``app.utils.*`` does
            raise ConfigError(
                f"{value!r} is not a qualified name such as 'package.module.function' or 'package.module.*'"
            )
        return
    dotted_name(value)


def size_in_bytes(value: str) -> int:
    """A size in bytes, or in KiB or MiB with a `k` or `M` suffix: `65536`, `512k`, `2M`;
    at most `16M`, all the module source one file's inference may read."""
    found = _SIZE.match(value)
    if found is None:
        raise ConfigError(f"{value!r} is not a size such as 2M, 512k or 65536")
    size = int(found[1]) * {"": 1, "k": 1024, "m": 1024 * 1024}[found[2].lower()]
    if size > MAX_MODULE_SIZE_CEILING:
        raise ConfigError(
            f"{value!r} is over {MAX_MODULE_SIZE_CEILING // (1024 * 1024)}M, all the module source one "
            "file's inference may read"
        )
    return size


# How far inference may follow a name to learn whether it is a coroutine
# function, an event loop or a TaskGroup (docs/inference.md). Each level
# includes the ones before it.
INFERENCE_LEVELS = Level.labels()  # ("off", "local", "project", "full"): one Level type for both

# The table of options. Each issue that adds an option adds a row here and a
# field to Settings with the same name (without the ``aio_`` prefix).
OPTIONS: tuple[Option, ...] = (
    Option(
        flag="--aio-inference",
        help=(
            "How far flake8-async-tasks follows names with astroid to tell whether a callee is an async "
            "function: off (this file's own syntax only), local (also this file's instances and decorators, "
            "and asyncio's classes), project (also the project's other modules), full (also installed "
            "packages). See docs/inference.md. Default: %(default)s."
        ),
        default="project",
        example="full",
        choices=INFERENCE_LEVELS,
        convert=Level.of,
    ),
    Option(
        flag="--aio-task-factories",
        help=(
            "Comma-separated qualified names of the project's own functions that wrap a coroutine in a "
            "task and return it, as asyncio.create_task does (app.utils.spawn), or module.* for every "
            "function of a module. Their results are judged like create_task's: dropped (AIO101), never "
            "awaited (AIO102), given a non-coroutine (AIO105)."
        ),
        default="",
        example="app.utils.spawn, app.jobs.*",
        comma_separated=True,
        validate=dotted_name_or_module_pattern,
    ),
    Option(
        flag="--aio-task-keepers",
        help=(
            "Comma-separated qualified names of the project's own functions that create a task and keep a "
            "reference to it themselves (in a set, a supervisor): a call to one is never reported as a "
            "dropped or unawaited task, even when --aio-task-factories names its module. AIO101 and AIO102 "
            "advise passing a task that must be kept to the first one named."
        ),
        default="",
        example="app.jobs.spawn_tracked",
        comma_separated=True,
        validate=dotted_name,
    ),
    Option(
        flag="--aio-max-module-size",
        help=(
            "The largest module file inference builds to follow an import, in bytes or with a k or M "
            "suffix (512k, 2M): what a bigger module defines stays unknown, so calls of it are not "
            "reported. It bounds the memory and time one import can cost (docs/safety.md); at most 16M. "
            "Default: %(default)s."
        ),
        default="2M",
        example="4M",
        validate=size_in_bytes,
        convert=size_in_bytes,
    ),
    Option(
        flag="--aio-cache-dir",
        help=(
            "Where the summaries of module texts are kept between runs and shared by --jobs workers, or off "
            "to keep none. Default: the FLAKE8_ASYNC_TASKS_CACHE_DIR environment variable, else the user's "
            "cache directory (XDG_CACHE_HOME on Linux). Findings are the same with or without it."
        ),
        default="",
        example=".cache/flake8-async-tasks",
    ),
)


@dataclass(frozen=True)
class Settings:
    """Parsed options, shared read-only by every file's checks."""

    inference: Level = Level.PROJECT
    task_factories: tuple[str, ...] = ()
    task_keepers: tuple[str, ...] = ()
    max_module_size: int = 2 * 1024 * 1024  # bytes
    cache_dir: str = ""  # "" for the environment's or the user's default, "off" for none
    # Not an option: a file name -> the codes of this plugin flake8 reports
    # for it, from its --select, --ignore, their --extend- forms,
    # per-file-ignores and config files (plugin.py asks flake8's style
    # guides). None, or an answer of None: the rules that are on by default.
    reported: Callable[[str], frozenset[str] | None] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        # Typed as a Level, but ``Settings(inference="full")`` is accepted too.
        given: object = self.inference
        if isinstance(given, str):  # ``Settings(inference="full")``
            object.__setattr__(self, "inference", Level.of(given))

    @classmethod
    def from_options(cls, namespace: Any) -> Settings:
        return cls(
            **{
                option.dest.removeprefix("aio_"):
                    option.parse(getattr(namespace, option.dest, option.default))
                for option in OPTIONS
            }
        )

    def selects(self, rule: Any, filename: str) -> bool:
        """Will flake8 report ``rule`` (a Rule class) for ``filename``?"""
        codes = self.reported(filename) if self.reported is not None else None
        if codes is None:
            return bool(rule.enabled_by_default)
        return rule.code in codes

    def is_task_factory(self, qualname: str | None) -> bool:
        """Is ``qualname`` one of the project's declared task factories (and
        not a keeper)?"""
        if not qualname or not self.task_factories or qualname in self.task_keepers:
            return False
        module = qualname.rpartition(".")[0]
        return qualname in self.task_factories or f"{module}.*" in self.task_factories


DEFAULT = Settings()
