"""asyncio as the running interpreter has it, written as a small module that
astroid reads instead of asyncio's own source.

astroid reading asyncio's source costs about two seconds per process (its
``from .x import *`` chain pulls in typing, subprocess, threading...).
Introspection gives the facts that matter here (which functions and methods
are coroutine functions, and the class hierarchy) in milliseconds, and cannot
disagree with the asyncio that runs the code.
"""

from __future__ import annotations

import asyncio
import builtins
import inspect
import keyword
import functools
from dataclasses import dataclass


@dataclass
class AsyncioFacts:
    stub: str  # source of a module that stands in for ``asyncio``
    async_names: frozenset[str]  # names of every coroutine function and method
    loop_coroutine_methods: frozenset[str]  # AbstractEventLoop's coroutine methods


@functools.lru_cache(maxsize=1)
def facts() -> AsyncioFacts:
    """The stand-in module's source and the names it makes coroutine functions."""
    public: dict[str, object] = {}
    names = set(getattr(asyncio, "__all__", ())) | {n for n in dir(asyncio) if not n.startswith("_")}
    for name in sorted(names):
        obj = getattr(asyncio, name, None)
        module = getattr(obj, "__module__", "") or ""
        if module.split(".")[0] not in ("asyncio", "_asyncio"):
            continue
        if inspect.isclass(obj) or inspect.isfunction(obj) or inspect.isbuiltin(obj):
            public[name] = obj
    class_names: dict[type, str] = {}
    for name, obj in public.items():
        if inspect.isclass(obj):
            class_names.setdefault(obj, name)

    def is_async(func: object) -> bool:
        return inspect.iscoroutinefunction(func)

    def public_bases(cls: type) -> list[type]:
        found: list[type] = []

        def visit(base: type) -> None:
            if base is object or base in found:
                return
            if base in class_names or getattr(builtins, base.__name__, None) is base:
                found.append(base)
                return
            for parent in base.__bases__:
                visit(parent)

        for base in cls.__bases__:
            visit(base)
        return [b for b in found if not any(o is not b and issubclass(o, b) for o in found)]

    lines = ['"""asyncio as introspected by flake8-async-tasks."""']
    async_names: set[str] = set()
    emitted: set[type] = set()

    def stub(name: str, params: str, func: object, indent: str) -> str:
        """A def with ``func``'s kind: async generator, coroutine function
        (recorded in ``async_names``) or plain function."""
        if inspect.isasyncgenfunction(func):
            return f"{indent}async def {name}({params}):\n{indent}    yield"
        if is_async(func):
            async_names.add(name)
            return f"{indent}async def {name}({params}): ..."
        return f"{indent}def {name}({params}): ..."

    def emit_member(name: str, value: object, out: list[str]) -> None:
        if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("__"):
            return
        decorator, params = "", "self, *args, **kwargs"
        if isinstance(value, staticmethod):
            decorator, params, value = "@staticmethod", "*args, **kwargs", value.__func__
        elif isinstance(value, classmethod):
            decorator, params, value = "@classmethod", "cls, *args, **kwargs", value.__func__
        elif isinstance(value, property):
            out += ["    @property", f"    def {name}(self): ..."]
            return
        elif not callable(value) or inspect.isclass(value):
            return
        if decorator:
            out.append(f"    {decorator}")
        out.append(stub(name, params, value, "    "))

    def emit_class(cls: type) -> None:
        if cls in emitted or cls not in class_names:
            return
        bases = public_bases(cls)
        for base in bases:
            emit_class(base)
        emitted.add(cls)
        base_names = [class_names.get(b, b.__name__) for b in bases]
        body: list[str] = []
        seen: set[str] = set()
        for klass in cls.__mro__:
            if klass is object or any(issubclass(b, klass) for b in bases):
                continue
            for name, value in vars(klass).items():
                if name not in seen:
                    seen.add(name)
                    emit_member(name, value, body)
        lines.append(f"class {class_names[cls]}({', '.join(base_names)}):")
        lines.extend(body or ["    pass"])

    for obj in list(class_names):
        emit_class(obj)
    for name, obj in public.items():
        if inspect.isclass(obj):
            if class_names[obj] != name:
                lines.append(f"{name} = {class_names[obj]}")
        else:
            lines.append(stub(name, "*args, **kwargs", obj, ""))
    loop = asyncio.AbstractEventLoop
    loop_methods = frozenset(n for n in dir(loop) if not n.startswith("_") and is_async(getattr(loop, n)))
    return AsyncioFacts("\n".join(lines) + "\n", frozenset(async_names), loop_methods)


@functools.lru_cache(maxsize=1)
def class_methods() -> dict[str, dict[str, bool]]:
    """Every public asyncio class (``asyncio.Queue``, ``asyncio.Process``...)
    -> its public methods, each True when it is a coroutine function, as the
    running asyncio defines them (inherited methods included)."""
    classes: dict[str, type] = {}
    for name in dir(asyncio):
        obj = getattr(asyncio, name, None)
        if inspect.isclass(obj) and not name.startswith("_") and not issubclass(obj, BaseException):
            classes[f"asyncio.{name}"] = obj
    process = getattr(getattr(asyncio, "subprocess", None), "Process", None)
    if inspect.isclass(process):
        classes["asyncio.Process"] = process
    table: dict[str, dict[str, bool]] = {}
    for qualname, cls in classes.items():
        methods = {}
        for member in dir(cls):
            if member.startswith("_"):
                continue
            value = inspect.getattr_static(cls, member, None)
            if isinstance(value, (staticmethod, classmethod)):
                value = value.__func__
            if callable(value) and not inspect.isclass(value):
                methods[member] = inspect.iscoroutinefunction(value)
        table[qualname] = methods
    return table


@functools.lru_cache(maxsize=1)
def coroutine_method_names() -> frozenset[str]:
    """The names of every coroutine method of asyncio's classes."""
    return frozenset(
        name for methods in class_methods().values() for name, is_async in methods.items() if is_async
    )
