"""Project-level checks: pins agree, notebooks stay generic and clean."""

import json
import re
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# The project's numbered notebooks only: a researcher's own (notebooks/mine/, or any
# unnumbered notebook) is executed and tested by nothing unless they ask.
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9]*.ipynb"))


def _pins(lines):
    return {re.split("==", line)[0].strip().lower(): line.split("==")[1].strip() for line in lines if "==" in line}


def test_environment_yml_agrees_with_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + [d for deps in project["optional-dependencies"].values() for d in deps]
    env_lines = [ln.strip().lstrip("- ") for ln in (REPO / "environment.yml").read_text().splitlines()]
    assert _pins(declared) == _pins(env_lines)


def test_lock_file_agrees_with_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    declared = _pins(project["dependencies"] + [d for deps in project["optional-dependencies"].values() for d in deps])
    locked = _pins((REPO / "requirements.lock").read_text().splitlines())
    locked = {k.replace("_", "-"): v for k, v in locked.items()}
    for name, version in declared.items():
        assert locked.get(name) == version, name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_executed_and_clean(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    assert code, "no code cells"
    for cell in code:
        assert cell["execution_count"] is not None, "unexecuted cell"
        for out in cell.get("outputs", []):
            assert out.get("name") != "stderr", "".join(out.get("text", ""))
            assert out["output_type"] != "error"
            assert not re.search(r"0x[0-9a-f]{6,}", "".join(out.get("data", {}).get("text/plain", ""))), "repr with address"


REGION_NAMES = re.compile(r"武威|巴彦淖尔|银川|甘肃|运城|Wuwei|Bayannur|Yinchuan|Gansu|Yuncheng")


def region_names_in_code(nb: dict) -> list[str]:
    """One message per code cell that names a shipped region: notebook code must work for any corpus."""
    found = []
    for i, cell in enumerate(c for c in nb["cells"] if c["cell_type"] == "code"):
        source = "".join(cell["source"])
        for m in REGION_NAMES.finditer(source):
            line = source.count("\n", 0, m.start()) + 1
            found.append(f"code cell {i + 1}, line {line}: names the region {m.group(0)!r}")
    return found


@pytest.mark.parametrize(
    "source, expected",
    [
        ("x = 1", []),
        ('docs[docs.region == "甘肃"]', ["code cell 1, line 1: names the region '甘肃'"]),
        ('a = 1\nb = "Wuwei"', ["code cell 1, line 2: names the region 'Wuwei'"]),
    ],
)
def test_region_rule_names_the_region_not_the_cell(source, expected):
    nb = {"cells": [{"cell_type": "markdown", "source": "银川"}, {"cell_type": "code", "source": source}]}
    assert region_names_in_code(nb) == expected


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_code_names_no_region(path):
    found = region_names_in_code(json.loads(path.read_text(encoding="utf-8")))
    assert not found, f"{path.relative_to(REPO)}: " + "; ".join(found) + " (compute it from corpus.documents instead)"


def test_only_numbered_notebooks_are_the_projects():
    """notebooks/mine/ holds a researcher's own notebooks: no project test or run collects them."""
    from ipanalysis import notebooks

    assert all(p.parent == REPO / "notebooks" and p.name[0].isdigit() for p in NOTEBOOKS)
    assert [p.name for p in notebooks.notebook_paths()] == [p.name for p in NOTEBOOKS]
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "NOTEBOOKS ?= notebooks/[0-9]*.ipynb" in makefile
    assert (REPO / "notebooks" / "mine" / "README.md").exists()


def test_there_are_notebooks():
    assert NOTEBOOKS


def test_data_dictionary_documents_every_table_and_column():
    """docs/data_dictionary.md has a section per table, and a row for every column of its schema."""
    from ipanalysis.tables import SCHEMAS

    text = (REPO / "docs" / "data_dictionary.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^## (\w+) — .*?\n(.*?)(?=^## |\Z)", text, flags=re.S | re.M))
    assert set(sections) == set(SCHEMAS), set(sections) ^ set(SCHEMAS)
    for table, columns in SCHEMAS.items():
        documented = set(re.findall(r"`(\w+)`", "\n".join(ln.split("|")[1] for ln in sections[table].splitlines() if ln.startswith("| `"))))
        missing = set(columns) - documented
        assert not missing, f"{table}: {sorted(missing)} not in the data dictionary"


def _modules():
    import pkgutil

    import ipanalysis

    return sorted(m.name for m in pkgutil.iter_modules(ipanalysis.__path__) if not m.name.startswith("_"))


@pytest.mark.parametrize("module", _modules())
def test_every_public_function_and_method_is_documented(module):
    """Every public function, class and method of the library says what it takes and returns."""
    import importlib
    import inspect

    mod = importlib.import_module(f"ipanalysis.{module}")
    undocumented = []
    for name, obj in vars(mod).items():
        if name.startswith("_") or not (inspect.isfunction(obj) or inspect.isclass(obj)) or obj.__module__ != mod.__name__:
            continue
        if not (obj.__doc__ or "").strip():
            undocumented.append(name)
        if inspect.isclass(obj):
            undocumented += [
                f"{name}.{m}" for m, f in vars(obj).items()
                if not m.startswith("_") and inspect.isfunction(f) and not (f.__doc__ or "").strip()
            ]  # fmt: skip
    assert undocumented == [], f"ipanalysis.{module}: no docstring on {', '.join(undocumented)}"
