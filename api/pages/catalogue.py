"""The public rule catalogue: what a list of each program must satisfy (the service standard)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.deps import Ctx
from api.pages.web import MaybeUser, render
from validator.reports.messages import action_text, context_params
from validator.wilayah import load_regions

router = APIRouter()
SEVERITY_TEXT = {"reject": "tolak", "review": "periksa"}


def program_rules(rules, program) -> dict:
    context = context_params(rules, program, load_regions(), None, "id")
    codes = [{"code": c, "title": e.title_id, "title_en": e.title_en,
              "severity": rules.severity(program, c), "severity_text": SEVERITY_TEXT[rules.severity(program, c)],
              "action": action_text(e.action_id, context)}
             for c, e in rules.catalog.items() if rules.enabled(program, c)]
    partners = sorted(rules.exclusive_partners(program.id))
    return {"program": program, "context": context, "codes": codes,
            "exclusive": [rules.programs[p].name for p in partners if p in rules.programs]}


@router.get("/aturan")
def catalogue(request: Request, ctx: Ctx, user: MaybeUser):
    programs = [program_rules(ctx.rules, p) for p in sorted(ctx.rules.programs.values(), key=lambda p: p.name)]
    return render(request, "catalogue.html", user, programs=programs)
