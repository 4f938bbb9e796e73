"""The code stays lint-clean (ruff, configured in pyproject.toml)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_is_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.fail("ruff is not installed: it is a dev dependency in pyproject.toml")
    r = subprocess.run([ruff, "check", "validator", "api", "tests", "benchmarks", "sample_data"],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_a_modules_main_block_comes_after_everything_it_may_call():
    """`python -m tests.hostile_corpus DIR` (the README's command) once failed with a NameError: a
    function was defined below the `if __name__ == "__main__":` block, which runs first. Importing
    the module (as the tests do) never shows it."""
    import ast

    late = []
    for path in sorted(ROOT.glob("*/**/*.py")):
        if ".venv" in path.parts:
            continue
        body = ast.parse(path.read_text(encoding="utf-8")).body
        mains = [k for k, node in enumerate(body) if isinstance(node, ast.If)
                 and ast.unparse(node.test).replace("'", '"') == '__name__ == "__main__"']
        if mains and any(isinstance(n, ast.FunctionDef | ast.ClassDef) for n in body[mains[0] + 1:]):
            late.append(str(path.relative_to(ROOT)))
    assert late == []
