"""Tables of the asyncio (and neighbouring stdlib) APIs the checks recognise.

Names are fully qualified as the public API spells them: ``asyncio.tasks.
create_task`` is normalised to ``asyncio.create_task`` before lookup.
"""

from __future__ import annotations

import functools

# asyncio's implementation modules; ``asyncio.<sub>.<name>`` is the same
# object as ``asyncio.<name>`` for every public name.
ASYNCIO_SUBMODULES = frozenset(
    {
        "base_events", "coroutines", "events", "exceptions", "futures", "locks",
        "queues", "runners", "staggered", "streams", "subprocess", "taskgroups",
        "tasks", "threads", "timeouts", "unix_events", "windows_events",
    }
)

# Functions that wrap a coroutine in a Task and schedule it. ensure_future
# makes a task only of a coroutine: given a future, it returns it.
CREATE_TASK = "asyncio.create_task"
ENSURE_FUTURE = "asyncio.ensure_future"
TASK_FACTORIES = frozenset({CREATE_TASK, ENSURE_FUTURE})

# Functions that return the event loop.
LOOP_FACTORIES = frozenset(
    {"asyncio.get_running_loop", "asyncio.get_event_loop", "asyncio.new_event_loop"}
)

# Annotations that say "this is an event loop".
LOOP_TYPES = frozenset(
    {"asyncio.AbstractEventLoop", "asyncio.BaseEventLoop",
     "asyncio.SelectorEventLoop", "asyncio.ProactorEventLoop"}
)

# Attribute names that hold an event loop in practice (``self._loop``,
# ``self.client.loop``): real libraries schedule tasks through exactly these.
LOOP_ATTRIBUTE_NAMES = frozenset({"loop", "_loop"})

TASK_GROUP = "asyncio.TaskGroup"

# Classes whose instances (and their subclasses') are event loops and task
# groups, as astroid names them.
LOOP_CLASSES = frozenset({"asyncio.AbstractEventLoop", "asyncio.events.AbstractEventLoop"})
TASK_GROUP_CLASSES = frozenset({"asyncio.TaskGroup", "asyncio.taskgroups.TaskGroup"})

# Functions that aggregate awaitables into one future.
AGGREGATORS = frozenset({"asyncio.gather", "asyncio.shield"})

# Calls known to return a future or task that already exists (or that
# ensure_future() hands back unchanged): wrapping one makes no new task.
FUTURE_RETURNING = AGGREGATORS | frozenset(
    {"asyncio.wrap_future", "asyncio.create_task", "asyncio.ensure_future", "asyncio.Future",
     "asyncio.Task", "asyncio.run_coroutine_threadsafe"}
)
FUTURE_RETURNING_METHODS = frozenset({"run_in_executor", "create_future", "create_task", "wrap_future"})
# Names of the classes a return annotation names when a helper hands back a
# future or task it keeps: ``def fetch_later(self) -> asyncio.Future[int]``.
FUTURE_CLASS_NAMES = frozenset({"Future", "Task"})

RUN_COROUTINE_THREADSAFE = "asyncio.run_coroutine_threadsafe"

# Coroutine functions of the asyncio module itself: calling one without
# await builds a coroutine that never runs.
COROUTINE_FUNCTIONS = frozenset(
    {
        "asyncio.sleep",
        "asyncio.wait",
        "asyncio.wait_for",
        "asyncio.open_connection",
        "asyncio.open_unix_connection",
        "asyncio.start_server",
        "asyncio.start_unix_server",
        "asyncio.create_subprocess_exec",
        "asyncio.create_subprocess_shell",
        "asyncio.to_thread",
        "asyncio.staggered_race",
    }
)


@functools.lru_cache(maxsize=1)
def star_exports() -> frozenset[str]:
    """Every name ``from asyncio import *`` brings in, as the running asyncio
    exports them (imported only for a file that star-imports asyncio)."""
    import asyncio

    return frozenset(getattr(asyncio, "__all__", ()))


ASYNCIO_RUN = "asyncio.run"

# What asyncio's functions return, where it is an object whose methods the
# checks know: a class, or a tuple of classes (``reader, writer = await
# asyncio.open_connection(...)``). Coroutine functions return it when awaited.
RETURNS: dict[str, str | tuple[str, ...]] = {
    "asyncio.open_connection": ("asyncio.StreamReader", "asyncio.StreamWriter"),
    "asyncio.open_unix_connection": ("asyncio.StreamReader", "asyncio.StreamWriter"),
    "asyncio.create_subprocess_exec": "asyncio.Process",
    "asyncio.create_subprocess_shell": "asyncio.Process",
    "asyncio.start_server": "asyncio.Server",
    "asyncio.start_unix_server": "asyncio.Server",
    "asyncio.get_running_loop": "asyncio.AbstractEventLoop",
    "asyncio.get_event_loop": "asyncio.AbstractEventLoop",
    "asyncio.new_event_loop": "asyncio.AbstractEventLoop",
}

# Annotations of a callable whose call returns an awaitable:
# ``Callable[..., Awaitable[T]]``, ``Callable[[], Coroutine[...]]``.
CALLABLE_TYPES = frozenset({"typing.Callable", "collections.abc.Callable"})
AWAITABLE_TYPES = frozenset(
    {"typing.Awaitable", "typing.Coroutine", "collections.abc.Awaitable", "collections.abc.Coroutine"}
)
# Tests that code which calls a function both ways asks first: is it a
# coroutine function, is what it returned awaitable? A call whose callee or
# result such a test looks at, in the same function, is dual-mode code that
# awaits where it must (``if inspect.iscoroutinefunction(self.close): await
# self.close() else: self.close()``). ``isinstance(result, Awaitable)`` too.
DUAL_MODE_TESTS = frozenset(
    {"inspect.iscoroutinefunction", "asyncio.iscoroutinefunction", "asyncio.coroutines.iscoroutinefunction",
     "inspect.isawaitable", "inspect.iscoroutine", "asyncio.iscoroutine", "asyncio.coroutines.iscoroutine",
     "inspect.markcoroutinefunction"}
)

# Decorators that make a getter of a def: reading the attribute calls it.
PROPERTIES = frozenset({"builtins.property", "functools.cached_property"})

# Wrappers of an annotation that leave its class: ``Optional[T]``, ``Union[T, None]``.
OPTIONAL_TYPES = frozenset({"typing.Optional", "typing.Union"})

# Task and future methods that read or steer a task without taking over its
# outcome: a task touched only through these is still never awaited.
NON_CONSUMING_TASK_METHODS = frozenset(
    {
        "add_done_callback", "remove_done_callback", "cancel", "cancelled",
        "cancelling", "uncancel", "done", "get_name", "set_name", "get_coro",
        "get_context", "get_loop", "get_stack", "print_stack",
    }
)

# Loop methods that call a plain callable and drop what it returns, with the
# position of the callable among the positional arguments.
LOOP_CALLBACK_SLOTS = {
    "call_soon": 0,
    "call_soon_threadsafe": 0,
    "call_later": 1,
    "call_at": 1,
    "add_signal_handler": 1,
    "add_reader": 1,
    "add_writer": 1,
    "run_in_executor": 1,
}

# Other APIs that call a plain callable: qualified name -> (position, keyword).
CALLBACK_SLOTS = {
    "threading.Thread": (1, "target"),
    "threading.Timer": (1, "function"),
    "signal.signal": (1, "handler"),
    "atexit.register": (0, None),
}

# Loop methods whose callable's return value becomes a future's result
# instead of being dropped.
RESULT_KEEPING_SLOTS = frozenset({"run_in_executor"})

PARTIAL = "functools.partial"

# A future's methods that retrieve its outcome (and mark an exception retrieved).
OUTCOME_METHODS = frozenset({"result", "exception"})

# Return annotations of an async generator: an ``async def`` so annotated
# without a ``yield`` is the stub of one (a protocol, an abstract method),
# and what its implementations return is iterated, not awaited.
ASYNC_ITERATOR_TYPES = frozenset(
    {
        "typing.AsyncIterator", "typing.AsyncIterable", "typing.AsyncGenerator",
        "collections.abc.AsyncIterator", "collections.abc.AsyncIterable", "collections.abc.AsyncGenerator",
    }
)

# The same, by their last name: how a quoted or unresolvable annotation is read.
ASYNC_ITERATOR_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in ASYNC_ITERATOR_TYPES)

# Any object's add_done_callback() takes a plain callable.
DONE_CALLBACK_METHOD = "add_done_callback"

# Decorators known to return the function they decorate (or a descriptor that
# calls it unchanged), so an ``async def`` under them is still a coroutine
# function. Any other decorator makes the callee unknown.
PRESERVING_DECORATORS = frozenset(
    {
        "builtins.staticmethod",
        "builtins.classmethod",
        "abc.abstractmethod",
        "typing.override",
        "typing_extensions.override",
        "typing.final",
        "typing_extensions.final",
        "typing.no_type_check",
        "functools.wraps",
    }
)

# Bases that add no methods a user calls: method lookups pass over them
# (and astroid does not load ``typing`` for them, which costs half a second).
TRANSPARENT_BASES = frozenset(
    {
        "builtins.object", "typing.Generic", "typing.Protocol", "typing_extensions.Protocol",
        "typing_extensions.Generic", "abc.ABC",
    }
)

# Decorators the checks read by name.
FUNCTOOLS_WRAPS = "functools.wraps"
CLASSMETHOD = "builtins.classmethod"
STATICMETHOD = "builtins.staticmethod"

# Context managers whose block is expected to raise: code in them is written
# to fail, so it is not reported.
EXPECT_RAISES = frozenset({"pytest.raises"})
EXPECT_RAISES_METHODS = frozenset(
    {"assertRaises", "assertRaisesRegex", "assertWarns", "assertWarnsRegex"}
)

# Builtins that read a value as a plain object; a coroutine passed to them is
# never run.
VALUE_READING_BUILTINS = frozenset(
    {"builtins.bool", "builtins.str", "builtins.repr", "builtins.print",
     "builtins.int", "builtins.float", "builtins.len", "builtins.format"}
)

# Calls that read a value and hand nothing on: a coroutine given only to
# these is still never run. (``reveal_type`` returns its argument, but a
# type checker's helper is not where a coroutine is run.)
VALUE_READERS = VALUE_READING_BUILTINS | frozenset(
    {"builtins.id", "builtins.type", "builtins.isinstance", "builtins.hash",
     "typing.reveal_type", "typing_extensions.reveal_type"}
)

# Methods of a logger: a value passed to them is only formatted.
LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log"})

# What a coroutine sees differently in a task of its own: the current task is
# the new task (``asyncio.current_task()``), and a TaskGroup or a timeout
# cancels that task instead of the caller (AIO104).
CURRENT_TASK = "asyncio.current_task"
TASK_SENSITIVE = frozenset({CURRENT_TASK, "asyncio.TaskGroup", "asyncio.timeout", "asyncio.timeout_at"})
# The one asyncio coroutine function AIO104 judges: it always suspends (even
# ``sleep(0)``) and never looks at the current task.
ASYNCIO_SLEEP = "asyncio.sleep"

# Coroutine methods that run it or close it on purpose: a coroutine read
# through these is handed on, not forgotten.
COROUTINE_DRIVERS = frozenset({"send", "throw", "close", "__await__"})

# Calls that make a function's locals reachable by name, defeating any
# reasoning about where a local is read.
DYNAMIC_SCOPE_CALLS = frozenset({"locals", "vars", "eval", "exec"})


def normalise(qualname: str) -> str:
    """``asyncio.tasks.create_task`` -> ``asyncio.create_task``."""
    parts = qualname.split(".")
    if len(parts) == 3 and parts[0] == "asyncio" and parts[1] in ASYNCIO_SUBMODULES:
        return f"asyncio.{parts[2]}"
    return qualname
