"""Print the reason-code table of docs/codes.md from rules/catalog.yaml.

    python rules/render_codes.py > docs/codes.md

Needs only PyYAML; reads the catalog.yaml next to this script (or the path given as argument).
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

SEVERITY_ID = {"reject": "tolak", "review": "periksa"}


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ").strip()


def render(catalog_path: Path) -> str:
    data = yaml.safe_load(catalog_path.read_text(encoding="utf-8"))
    lines = [
        "# Kode alasan / Reason codes",
        "",
        "Dibuat otomatis dari `rules/catalog.yaml` oleh `rules/render_codes.py`; jangan diedit langsung.",
        "Generated from `rules/catalog.yaml` by `rules/render_codes.py`; do not edit by hand.",
        "",
        "Tingkat: `tolak` (reject) = baris tidak dapat dibayar sampai diperbaiki; "
        "`periksa` (review) = baris ditahan untuk diperiksa petugas.",
        "",
        "| kode | tingkat | kolom | arti (Indonesia) | meaning (English) |",
        "|---|---|---|---|---|",
    ]
    for e in data["codes"]:
        sev = SEVERITY_ID.get(e["severity"], e["severity"])
        lines.append(
            f"| `{_cell(e['code'])}` | {sev} | {_cell(e['field'])} "
            f"| {_cell(e['title_id'])} | {_cell(e['title_en'])} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent / "catalog.yaml"
    sys.stdout.write(render(path))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
