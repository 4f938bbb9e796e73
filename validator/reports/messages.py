"""Render message templates for a whole findings table at once, per language."""

from __future__ import annotations

from string import Formatter

import polars as pl

from validator.rulebook import CatalogEntry, Program, Rulebook
from validator.wilayah import Regions


def _rupiah(n: int, lang: str) -> str:
    s = f"{n:,}"
    return "Rp" + (s.replace(",", ".") if lang == "id" else s)


def _join(items: list[str], lang: str) -> str:
    word = " atau " if lang == "id" else " or "
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + word + items[-1]


# Row placeholders an action may name ("buku tabungan {bank} penerima"), as words when the action
# is shown for a code as a whole (the Ringkasan sheet, the public rule page) and not for one row.
ROW_WORDS = {
    "id": {"bank": "bank", "value": "nilai", "expected": "nilai yang benar", "actual": "nilai",
           "detail": "rinciannya", "rows": "baris terkait"},
    "en": {"bank": "bank", "value": "the value", "expected": "the right value", "actual": "the value",
           "detail": "the details", "rows": "the related rows"},
}


class _Words(dict):
    def __init__(self, context: dict[str, str], lang: str):
        super().__init__(context)
        self.lang = lang

    def __missing__(self, key: str) -> str:
        return ROW_WORDS[self.lang].get(key, "…")


def action_text(template: str, context: dict[str, str], lang: str = "id") -> str:
    """A catalogue action with the program's values filled in and row placeholders as words."""
    return Formatter().vformat(template, (), _Words(context, lang))


def context_params(rules: Rulebook, program: Program, regions: Regions, sender: str | None,
                   lang: str) -> dict[str, str]:
    """Program- and submission-level values a template may name, already in `lang`."""
    banks = rules.program_banks(program)
    a = program.amount
    if a is None:
        amount = "-"
    elif a.allowed:
        amount = _join([_rupiah(x, lang) for x in a.allowed], lang)
    else:
        lo = _rupiah(a.min, lang) if a.min is not None else None
        hi = _rupiah(a.max, lang) if a.max is not None else None
        if lang == "id":
            amount = f"{lo or 'Rp0'} sampai {hi or 'tanpa batas'}"
            amount += f", kelipatan {_rupiah(a.step, lang)}" if a.step else ""
        else:
            amount = f"{lo or 'Rp0'} to {hi or 'no limit'}"
            amount += f" in steps of {_rupiah(a.step, lang)}" if a.step else ""
    g = program.group
    if g is None:
        group = "-"
    elif lang == "id":
        group = f"{g.min_members}–{g.max_members} anggota dengan tepat satu {g.leader_title}"
    else:
        group = f"{g.min_members}–{g.max_members} members with exactly one {g.leader_title}"
    area = ", ".join(regions.describe(p) for p in program.area) or ("seluruh wilayah" if lang == "id" else "anywhere")
    return {
        "banks": ", ".join(banks),
        "amount_rule": amount,
        "min_age": str(program.min_age if program.min_age is not None else "-"),
        "max_age": str(program.max_age if program.max_age is not None else "-"),
        "age_rule": _age_rule(program.min_age, program.max_age, lang),
        "area": area,
        "group_rule": group,
        "sender": regions.describe(sender) if sender else "-",
    }


def _age_rule(low: int | None, high: int | None, lang: str) -> str:
    """The program's age rule in words: 'minimal 17 tahun', '6–21 tahun', 'paling tinggi 25 tahun'."""
    if low is not None and high is not None:
        return f"{low}–{high} tahun" if lang == "id" else f"{low} to {high} years"
    if high is not None:
        return f"paling tinggi {high} tahun" if lang == "id" else f"at most {high} years"
    if low is not None:
        return f"minimal {low} tahun" if lang == "id" else f"at least {low} years"
    return "-"


# Finding columns a frame may lack (one built before they existed): read as null.
OPTIONAL = {"detail_en": pl.Utf8(), "more": pl.Int32()}


def _template_expr(template: str, context: dict[str, str], lang: str = "id") -> pl.Expr:
    parts: list[pl.Expr] = []
    for literal, name, _spec, _conv in Formatter().parse(template):
        if literal:
            parts.append(pl.lit(literal))
        if name is None:
            continue
        if name in context:
            parts.append(pl.lit(context[name]))
        elif name == "rows":
            parts.append(pl.col("related").list.eval(pl.element().cast(pl.Utf8)).list.join(", ").fill_null(""))
            # A group larger than the rows named: say how many more, so the list does not read as whole.
            more = pl.col("more").cast(pl.Utf8)
            if lang == "id":  # 1.234 baris lainnya
                more = more.str.reverse().str.replace_all(r"(\d{3})", "$1.").str.reverse().str.strip_chars_start(".")
            parts.append(pl.when(pl.col("more") > 0).then(
                pl.concat_str([pl.lit(", and " if lang == "en" else ", dan "), more,
                               pl.lit(" more" if lang == "en" else " baris lainnya")])).otherwise(pl.lit("")))
        elif name == "detail" and lang == "en":
            parts.append(pl.coalesce(pl.col("detail_en"), pl.col("detail")).fill_null(""))
        else:
            parts.append(pl.col(name).fill_null(""))
    return pl.concat_str(parts) if parts else pl.lit("")


def render(findings: pl.DataFrame, catalog: dict[str, CatalogEntry],
           contexts: dict[str, dict[str, str]]) -> pl.DataFrame:
    """Add message (Indonesian) and message_en columns."""
    if findings.height == 0:
        return findings.with_columns(pl.lit(None, pl.Utf8).alias("message"),
                                     pl.lit(None, pl.Utf8).alias("message_en"))
    out = []
    for (code,), part in findings.partition_by("code", as_dict=True, maintain_order=True).items():
        entry = catalog[code]
        part = part.with_columns(pl.lit(None, dtype).alias(name) for name, dtype in OPTIONAL.items()
                                 if name not in part.columns)
        message_id = _template_expr(entry.message_id, contexts["id"])
        message_en = _template_expr(entry.message_en, contexts["en"], "en")
        if "variant" in part.columns:
            for name, v in entry.variants.items():
                chosen = pl.col("variant") == name
                message_id = pl.when(chosen).then(_template_expr(v.message_id, contexts["id"])).otherwise(message_id)
                message_en = pl.when(chosen).then(_template_expr(v.message_en, contexts["en"], "en")).otherwise(
                    message_en)
        out.append(part.with_columns(message_id.alias("message"), message_en.alias("message_en")))
    return pl.concat(out)
