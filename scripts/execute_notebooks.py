"""Executes notebooks with Jupyter's own executor (nbclient) and the project kernel.

Called by scripts/run-notebooks.ts, one process for a whole run. Reads a JSON job from stdin:
  {"notebooks": [paths], "outDir": dir, "kernel": name, "timeout": seconds}
For each notebook it writes the executed notebook (<outDir>/<stem>.ipynb) and its HTML
(<outDir>/<stem>.html), also when a cell fails (so the error can be read there), and prints one
JSON line: {"notebook", "ok", "seconds", "cell", "cellNumber", "source", "ename", "evalue"}.
The kernel starts in the notebook's folder; the project kernel's launcher moves to the project
root (see scripts/kernel.cjs).
"""
import json
import os
import re
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter


ERROR_LINE = re.compile(r"^\s*([A-Za-z_][\w.]*(?:Error|Exception)|Error)\b:?\s*(.*)$")


def code_number(nb, index):
    """1-based number of cell `index` among the code cells."""
    return sum(1 for c in nb.cells[: index + 1] if c.cell_type == "code")


def error_from_outputs(cell):
    """(ename, evalue) from the cell's error output, or else from the first error line tslab
    wrote to stderr (tslab reports compile and runtime errors as stderr text)."""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return out.get("ename", ""), out.get("evalue", "")
    text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")
    for line in text.splitlines():
        m = ERROR_LINE.match(line)
        if m:
            return m.group(1), m.group(2).strip()
    lines = [l for l in text.splitlines() if l.strip()]
    return ("Error", lines[0].strip()) if lines else ("", "")


def main():
    job = json.load(sys.stdin)
    out_dir = job["outDir"]
    os.makedirs(out_dir, exist_ok=True)
    exporter = HTMLExporter(template_name="lab")
    for path in job["notebooks"]:
        stem = os.path.splitext(os.path.basename(path))[0]
        os.environ["KLEINRAUM_NOTEBOOK"] = stem
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb,
            kernel_name=job["kernel"],
            timeout=job.get("timeout", 600),
            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
        )
        current = {"index": None}

        def on_execute(cell, cell_index, **_):
            current["index"] = cell_index

        client.on_cell_execute = on_execute
        result = {"notebook": path, "ok": True}
        t0 = time.monotonic()
        try:
            client.execute()
        except Exception as e:  # CellExecutionError, DeadKernelError, CellTimeoutError, kernel start failures
            i = current["index"]
            ename, evalue = error_from_outputs(nb.cells[i]) if i is not None else ("", "")
            if isinstance(e, CellExecutionError) and e.ename and e.ename != "<Error>":
                ename, evalue = e.ename, e.evalue or evalue
            if not isinstance(e, CellExecutionError):
                ename, evalue = type(e).__name__, (str(e).strip().splitlines() or [""])[-1]
            result.update(ok=False, cell=i, cellNumber=code_number(nb, i) if i is not None else None,
                          ename=ename or type(e).__name__, evalue=evalue)
        result["seconds"] = round(time.monotonic() - t0, 2)
        if result.get("cell") is not None:
            result["source"] = nb.cells[result["cell"]].source
        nbformat.write(nb, os.path.join(out_dir, stem + ".ipynb"))
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": stem}})
        with open(os.path.join(out_dir, stem + ".html"), "w", encoding="utf-8") as f:
            f.write(body)
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
