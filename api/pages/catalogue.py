"""The public rule catalogue: what a list of each program must satisfy (the service standard)."""

from __future__ import annotations

import string

from fastapi import APIRouter, Request

from api.deps import Ctx
from api.pages.web import MaybeUser, render
from validator.reports.messages import context_params
from validator.wilayah import load_regions

router = APIRouter()
# Row placeholders an action may name, as words when no row is at hand.
ROW_WORDS = {"bank": "bank penerima", "value": "nilai", "expected": "nilai yang benar", "actual": "nilai",
             "detail": "rinciannya", "rows": "baris terkait"}
SEVERITY_TEXT = {"reject": "tolak", "review": "periksa"}


class _Words(dict):
    def __missing__(self, key: str) -> str:
        return ROW_WORDS.get(key, "…")


def _action(template: str, context: dict[str, str]) -> str:
    return string.Formatter().vformat(template, (), _Words(context))


def program_rules(rules, program) -> dict:
    context = context_params(rules, program, load_regions(), None, "id")
    codes = [{"code": c, "title": e.title_id, "title_en": e.title_en,
              "severity": rules.severity(program, c), "severity_text": SEVERITY_TEXT[rules.severity(program, c)],
              "action": _action(e.action_id, context)}
             for c, e in rules.catalog.items() if rules.enabled(program, c)]
    partners = sorted(rules.exclusive_partners(program.id))
    return {"program": program, "context": context, "codes": codes,
            "exclusive": [rules.programs[p].name for p in partners if p in rules.programs]}


@router.get("/aturan")
def catalogue(request: Request, ctx: Ctx, user: MaybeUser):
    programs = [program_rules(ctx.rules, p) for p in sorted(ctx.rules.programs.values(), key=lambda p: p.name)]
    return render(request, "catalogue.html", user, programs=programs)
