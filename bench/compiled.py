"""What compiled code would give a request: the sandbox's own modules compiled by Cython as they are (no code
changed), measured against the same tree in pure Python (bench/NOTES.md, round 8). An experiment for a decision
about the stack, not part of the benchmark: the sandbox ships as pure Python.

    python bench/compiled.py [--wrk] [--rounds N] [--work DIR] [load ...]

It copies this checkout (without .git, venvs and results) to `--work` (default: a temporary folder), makes a venv
there with Cython and setuptools from PyPI, translates every module it can (a module Cython refuses stays Python,
and is named), builds the extensions with gcc, then measures each load on both trees in turn, `--rounds` times:
`inproc.py --http` (the server's Python per request, in-process), and with `--wrk` also a fresh server under wrk
as `run.py` drives it (CPU per request, split into user and system time). Loads default to the four creates.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CREATES = ["linkjolt POST /affiliates", "promotekit POST /affiliates", "tamio POST /affiliate-programs/create",
           "everflow POST /networks/affiliates"]
SKIPPED = ("__main__.py",)  # `python -m sandbox` runs it as a script: it stays Python
DIRECTIVES = {"language_level": 3, "annotation_typing": False, "binding": True}

TRANSLATE = """
import sys
from Cython.Build import cythonize
from Cython.Compiler.Errors import CompileError
directives = {directives!r}
refused = []
for module in sys.argv[1:]:
    try:
        cythonize([module], compiler_directives=directives, quiet=True)
    except (CompileError, Exception) as exc:  # Cython raises its own errors and, for some modules, others
        refused.append(module)
print("\\n".join(refused))
"""

BUILD = """
import sys
from pathlib import Path
from setuptools import Extension, setup
sources = [Path(p) for p in sys.argv[1:]]
sys.argv = [sys.argv[0], "build_ext", "--inplace", "-j", "2"]
setup(name="compiled", script_args=sys.argv[1:],
      ext_modules=[Extension(".".join(p.with_suffix("").parts), [str(p)]) for p in sources])
"""


def copy_tree(work: Path) -> Path:
    tree = work / "tree"
    if tree.exists():
        shutil.rmtree(tree)
    shutil.copytree(ROOT, tree, ignore=shutil.ignore_patterns(".git", ".venv", "results", "__pycache__", "*.so",
                                                              "build", "*.egg-info"))
    return tree


def compile_tree(tree: Path, work: Path) -> list[str]:
    """Compile every module of `tree`'s package that Cython takes; returns the modules it refused."""
    venv = work / "cython-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "cython",
                        "setuptools"], check=True)
    modules = sorted(str(p.relative_to(tree)) for p in (tree / "sandbox").rglob("*.py") if p.name not in SKIPPED)
    translated = subprocess.run([str(python), "-c", TRANSLATE.format(directives=DIRECTIVES), *modules], cwd=tree,
                                check=True, capture_output=True, text=True)
    refused = [line for line in translated.stdout.splitlines() if line.strip()]
    sources = [str(Path(m).with_suffix(".c")) for m in modules if m not in refused]
    built = subprocess.run([str(python), "-c", BUILD, *sources], cwd=tree, capture_output=True, text=True)
    if built.returncode:  # gcc's warnings are many and harmless; its errors are shown
        raise SystemExit(f"building the extensions failed:\n{built.stderr[-4000:]}")
    return refused


def inproc(tree: Path, load: str) -> float:
    out = subprocess.run([sys.executable, str(tree / "bench" / "inproc.py"), load, "--http"], cwd=tree,
                         env=dict(os.environ, PYTHONPATH=str(tree)), check=True, capture_output=True, text=True)
    return float(re.search(r"([\d.]+) µs CPU per request", out.stdout).group(1))  # type: ignore[union-attr]


WRK = """
import json, sys, time
sys.path.insert(0, {bench!r})
import run
load = {{l.name: l for l in run.LOADS}}[{load!r}]
server = run.start("sandbox", load.flags)
try:
    time.sleep(0.5)
    result = run.run_load(server, load, 0)
finally:
    server.stop()
print(json.dumps([result["cpu_us_per_request"], result["user_us_per_request"], result["system_us_per_request"]]))
"""


def under_wrk(tree: Path, load: str) -> tuple[float, float, float]:
    """CPU, user and system µs per request of a fresh server of `tree` under wrk, as run.py measures a load."""
    out = subprocess.run([sys.executable, "-c", WRK.format(bench=str(tree / "bench"), load=load)], cwd=tree,
                         check=True, capture_output=True, text=True)
    cpu, user, system = (float(x) for x in out.stdout.strip().splitlines()[-1].strip("[]").split(","))
    return cpu, user, system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("loads", nargs="*", default=CREATES, help="loads of run.py (default: the four creates)")
    parser.add_argument("--wrk", action="store_true", help="also measure a fresh server of each tree under wrk")
    parser.add_argument("--rounds", type=int, default=2, help="alternations of the two trees per load")
    parser.add_argument("--work", type=Path, help="where the copies and the Cython venv go (kept)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="sandbox-compiled-"))
    work.mkdir(parents=True, exist_ok=True)
    pure, compiled = copy_tree(work / "pure"), copy_tree(work / "compiled")
    refused = compile_tree(compiled, work)
    print(f"compiled {sum(1 for _ in (compiled / 'sandbox').rglob('*.so'))} modules in {compiled}; "
          f"left in Python: {', '.join(refused) or 'none'}")
    print("| load | measure | pure Python | compiled |\n|---|---|---|---|")
    for load in args.loads:
        rows: dict[str, tuple[list[str], list[str]]] = {}
        for _ in range(args.rounds):
            for i, tree in enumerate((pure, compiled)):
                rows.setdefault("in-process µs", ([], []))[i].append(f"{inproc(tree, load):.1f}")
                if args.wrk:
                    cpu, user, system = under_wrk(tree, load)
                    rows.setdefault("under wrk µs (user / system)", ([], []))[i].append(
                        f"{cpu:.1f} ({user:.1f} / {system:.1f})")
        for measure, (a, b) in rows.items():
            print(f"| {load} | {measure} | {', '.join(a)} | {', '.join(b)} |")


if __name__ == "__main__":
    main()
