"""Inference: the answers that the syntax at hand does not give.

Is this callee a coroutine function, is this receiver an event loop or a
TaskGroup? Answers are yes, no or unknown, and the checks report only on
yes. One job per module:

- :mod:`.context`: :class:`FileInference`, one file as inference sees it
  (its facts, the level, where it sits), shared by the modules below;
- :mod:`.facade`: :class:`Inference`, the questions the checks ask, cached;
- :mod:`.kinds`: the answers (:class:`Kind`) and the levels (:class:`Level`);
- :mod:`.syntactic`: what this module's own syntax says;
- :mod:`.gates`: whether astroid is worth asking;
- :mod:`.summaries`: what a module offers its importers, from one parse of
  its text; :mod:`.cache`: those summaries kept on disk, as JSON;
- :mod:`.policy`: what astroid may read;
- :mod:`.host`: every process-wide side effect (astroid's import hook, the
  garbage collector, the module cache and its staleness);
- :mod:`.asyncio_model`: asyncio as the running interpreter has it;
- :mod:`.session` and :mod:`.questions`: one file's astroid tree, budget and
  questions; :mod:`.astroid_tools`: small readers of astroid's trees.

Only the modules loaded by :mod:`.questions` import astroid, and the facade
loads it on the first question that needs it: at ``--aio-inference=off``
astroid is never imported.
"""

from __future__ import annotations

from . import cache, policy
from .context import FileInference
from .facade import Inference
from .kinds import Kind, Level
from .policy import project_root

__all__ = ["FileInference", "Inference", "Kind", "Level", "new_run", "project_root"]


def new_run(cache_dir: str = "") -> None:
    """A new flake8 run starts (the plugin's option parsing calls this): the
    process's ``async def`` name indexes are brought up to date once per run,
    and the summary cache is pointed at ``--aio-cache-dir``."""
    policy.new_run()
    cache.configure(cache_dir)
