"""One linted file as inference sees it.

:class:`FileInference` is built once per file by the checks' ``FileContext``
and shared by everything that answers a question about that file: the facade
(:mod:`.facade`), its cost gates (:mod:`.gates`) and astroid's questions
(:mod:`.questions`). It holds the file's facts (model, classes, the syntactic
answers), the level the user allowed, and where the file sits (its
:class:`~.policy.Place`, worked out on the first question that needs it).
Nothing else copies these: a module that needs the level asks
:meth:`FileInference.allows`.
"""

from __future__ import annotations

from typing import Sequence

from ..classes import ClassFacts
from ..scopes import ModuleModel
from .kinds import Level
from .policy import MAX_MODULE_SIZE, Place
from .syntactic import Syntactic


class FileInference:
    def __init__(
        self,
        model: ModuleModel,
        classes: ClassFacts | None = None,
        *,
        level: Level = Level.OFF,
        filename: str = "",
        lines: Sequence[str] | None = None,
        max_module_size: int = MAX_MODULE_SIZE,
    ) -> None:
        self.model = model
        self.classes = classes if classes is not None else ClassFacts(model)
        self.syntactic = Syntactic(model, self.classes)
        self.level = level
        self.filename = filename
        self.lines = lines  # the text flake8 parsed, for astroid
        self.max_module_size = max_module_size
        self._place: Place | None = None

    def allows(self, level: Level) -> bool:
        """May inference go as far as ``level`` for this file?"""
        return self.level >= level

    @property
    def place(self) -> Place:
        """Where the file sits: its import roots and module name (found on
        the first question that needs them: it reads the file system)."""
        if self._place is None:
            self._place = Place(self.filename, self.max_module_size)
        return self._place
