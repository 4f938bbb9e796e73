"""The catalogue stays honest: every code has both messages, tests and a line in the README."""

from __future__ import annotations

import re
from pathlib import Path

from tests.test_codes import CASES

ROOT = Path(__file__).resolve().parent.parent
# Codes that need the registry or the history store; their checks arrive with the registry work
# and are reported in `checks_skipped` until then (asserted below).
NEEDS_REGISTRY_OR_HISTORY = {"antar_daftar", "registri"}


def test_every_code_has_both_messages_and_an_action(rules):
    for entry in rules.catalog.values():
        for text in (entry.message_id, entry.message_en, entry.action_id, entry.action_en,
                     entry.title_id, entry.title_en):
            assert text.strip(), entry.code


def test_excel_damage_messages_say_what_to_do(rules):
    """reason-codes.md: the NIK_EXCEL message itself (the ALASAN cell, the page) tells the operator
    to format the column as Text and retype, not only the action on the Ringkasan sheet."""
    for code in ("NIK_EXCEL", "KK_EXCEL"):
        entry = rules.catalog[code]
        for text in [entry.message_id, *(v.message_id for v in entry.variants.values())]:
            assert "sebagai Teks" in text and "ketik ulang" in text, (code, text)
        for text in [entry.message_en, *(v.message_en for v in entry.variants.values())]:
            assert "as Text" in text and "retype" in text, (code, text)


def test_every_per_list_code_has_a_firing_case_and_a_near_miss(rules):
    firing = {c[1] for c in CASES if c[4]}
    near = {c[1] for c in CASES if not c[4]}
    for entry in rules.catalog.values():
        if entry.family in NEEDS_REGISTRY_OR_HISTORY:
            continue
        assert entry.code in firing, f"{entry.code} has no case where it fires"
        assert entry.code in near, f"{entry.code} has no near-miss case"


def test_registry_and_history_codes_are_reported_as_skipped(tmp_path, rules):
    from tests.conftest import run_rows

    outcome = run_rows(tmp_path, "pkh", [{}])
    skipped = {c["check"] for c in outcome.checks_skipped}
    assert {"registry", "exclusions", "history"} <= skipped
    codes = {e.code for e in rules.catalog.values() if e.family in NEEDS_REGISTRY_OR_HISTORY}
    assert codes and not codes & set(outcome.findings["code"])


def test_every_code_has_a_line_in_the_readme_table(rules):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\|\s*`?([A-Z_]+)`?\s*\|", readme, flags=re.M))
    missing = [c for c in rules.catalog if c not in rows]
    assert not missing, f"README code table lacks {missing}"
