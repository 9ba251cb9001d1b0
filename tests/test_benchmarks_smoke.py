"""The benchmark script's helpers work (no timing is asserted).

The driver test needs no corpus; the others use three corpus files and are
skipped where the corpus is missing (CI has none).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench.py"


def _load_bench():
    spec = importlib.util.spec_from_file_location("aio_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


bench = _load_bench()
CORPUS = bench.DEFAULT_CORPUS
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir() or not any(CORPUS.iterdir()), reason=f"no corpus at {CORPUS}"
)


def test_without_side_really_drops_the_plugin(tmp_path):
    # The canary files hold a dropped task: the 'with' side must report it,
    # the 'without' side must not load the plugin at all. Raises otherwise.
    bench.verify_configs(jobs=2, workdir=tmp_path)


def test_sample_is_deterministic_and_sized(tmp_path):
    for name in ("a", "b", "c", "d", "e"):
        (tmp_path / f"{name}.py").write_text("x = 1\n")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "skip.py").write_text("x = 1\n")
    files = bench.find_py_files(tmp_path)
    assert [f.name for f in files] == ["a.py", "b.py", "c.py", "d.py", "e.py"]
    sample = bench.sample_files(files, tmp_path, 3)
    assert len(sample) == 3 and sample == bench.sample_files(list(reversed(files)), tmp_path, 3)
    assert bench.sample_files(files, tmp_path, None) == files


def test_inference_levels_come_from_the_plugin():
    assert bench.inference_levels() == ["off", "local", "project", "full"]


@needs_corpus
def test_helpers_on_three_corpus_files(tmp_path):
    paths = bench.sample_files(bench.find_py_files(CORPUS), CORPUS, 3)
    assert len(paths) == 3

    report = bench.plugin_vs_floor(paths, repeat=1)
    assert len(report.files) + len(report.unparsable) == 3
    assert report.walk_total > 0 and report.plugin_total > 0
    assert not report.crashes

    without = bench.run_flake8(bench.Config("without", False), paths, 1, tmp_path)
    with_plugin = bench.run_flake8(bench.Config("with", True), paths, 1, tmp_path)
    assert without.aio_lines == 0 and without.plugin_cpu == 0
    assert without.cpu > 0 and with_plugin.cpu > 0
    assert with_plugin.plugin_cpu > 0 and with_plugin.maxrss_kb > 0


def test_warm_and_cold_cache_configurations(tmp_path):
    # A warm configuration keeps its summary cache across runs; a cold one
    # starts every run from an empty one. Neither uses the user's cache.
    (tmp_path / "lib.py").write_text("async def _r():\n    pass\n\n\ndef refresh():\n    return _r()\n")
    (tmp_path / "main.py").write_text("from lib import refresh\n\n\nasync def main():\n    refresh()\n")
    paths = [tmp_path / "main.py", tmp_path / "lib.py"]
    warm = bench.Config("with, warm cache", True, cache="warm")
    cold = bench.Config("with, cold cache", True)
    runs = [bench.run_flake8(config, paths, 1, tmp_path) for config in (warm, warm, cold, cold)]
    assert [r.aio_lines for r in runs] == [1, 1, 1, 1]
    assert list(bench.cache_dir(warm, tmp_path).glob("v*/??/*.json"))
    assert not bench.cache_dir(cold, tmp_path).exists()
