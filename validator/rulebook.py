"""Rule files (rules/*.yaml) as validated pydantic models; no engine is imported here."""

from __future__ import annotations

import hashlib
import os
import re
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

import polars as pl
import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from validator.errors import UserError, mask_echo

Severity = Literal["reject", "review"]

# Placeholders a message template may use. Row-level ones come from the finding; context ones
# come from the program and the submission (rendered per language).
ROW_PARAMS = {"value", "expected", "actual", "bank", "detail", "rows"}
CONTEXT_PARAMS = {"banks", "amount_rule", "min_age", "max_age", "age_rule", "area", "group_rule", "sender"}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _whole(value):
    """A count or an amount as a rule file must write it: digits only. YAML reads 600.000 (the
    Indonesian way to write six hundred thousand) as the number 600.0, which pydantic would
    quietly take as 600; "600.000" in quotes is text. Both are refused, saying how to write it."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if isinstance(value, (bool, str)):
        raise ValueError(f"harus bilangan bulat (tertulis {value!r}); tulis angka saja, tanpa titik, koma atau "
                         "huruf, misalnya 600000")
    if isinstance(value, float):
        raise ValueError(f"harus bilangan bulat tanpa titik ribuan (terbaca {value!r}: YAML membaca 600.000 "
                         "sebagai 600,0); tulis 600000")
    return value


Whole = Annotated[int, BeforeValidator(_whole)]


class MessageVariant(_Strict):
    """The message for one special case of a code (an empty cell, a bank with no known length)."""

    message_id: str
    message_en: str


class CatalogEntry(_Strict):
    """One reason code: what it means to the kecamatan and what they must do."""

    code: str = Field(pattern=r"^[A-Z][A-Z_]+$")
    family: str
    severity: Severity
    field: str
    title_id: str
    title_en: str
    message_id: str
    message_en: str
    action_id: str
    action_en: str
    # A check names a variant on the finding when the general message would read wrong.
    variants: dict[str, MessageVariant] = {}

    @model_validator(mode="after")
    def _known_placeholders(self) -> CatalogEntry:
        texts = [self.message_id, self.message_en, self.action_id, self.action_en]
        texts += [t for v in self.variants.values() for t in (v.message_id, v.message_en)]
        for text in texts:
            unknown = set(_PLACEHOLDER.findall(text)) - ROW_PARAMS - CONTEXT_PARAMS
            if unknown:
                raise ValueError(f"unknown placeholder(s) {sorted(unknown)} in {text!r}")
        return self


class Bank(_Strict):
    name: str
    codes: list[str] = []
    digits: list[Whole] | None = None  # None: length unknown, not judged
    aliases: list[str] = []
    # false: known only so that its name is not read as another bank's ("Mandiri Taspen" is not
    # MANDIRI); a program pays through it only when it names it, never through `banks: any`.
    pays: bool = True


class AmountRule(_Strict):
    min: Whole | None = None
    max: Whole | None = None
    step: Whole | None = None
    allowed: list[Whole] | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> AmountRule:
        # Messages of rule-file problems are read by the dinas staff who edit the files: Indonesian.
        if self.allowed is None and self.min is None and self.max is None:
            raise ValueError("nominal perlu 'allowed' (daftar nilai) atau 'min'/'max'")
        if self.allowed is not None and (self.min is not None or self.max is not None or self.step is not None):
            raise ValueError("tulis 'allowed' (daftar nilai) atau 'min'/'max'/'step', jangan keduanya")
        if self.allowed is not None and (not self.allowed or min(self.allowed) <= 0):
            raise ValueError("'allowed' harus berisi paling sedikit satu nilai, semuanya lebih dari 0")
        if self.min is not None and self.min < 0:
            raise ValueError("'min' tidak boleh negatif")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"'min' ({self.min}) tidak boleh lebih besar daripada 'max' ({self.max})")
        if self.step is not None and self.step <= 0:
            raise ValueError("'step' harus lebih dari 0")
        return self


class GroupRule(_Strict):
    min_members: Whole = Field(ge=1)
    max_members: Whole = Field(ge=1)
    leader_title: str = Field(default="KETUA", min_length=1)

    @model_validator(mode="after")
    def _order(self) -> GroupRule:
        if self.min_members > self.max_members:
            raise ValueError(f"'min_members' ({self.min_members}) tidak boleh lebih besar daripada 'max_members' "
                             f"({self.max_members})")
        return self


class CodeSetting(_Strict):
    enabled: bool = True
    severity: Severity | None = None


class Program(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    version: str
    unit: Literal["household", "individual"]
    registry_required: bool
    desil_max: Whole | None = Field(default=None, ge=1, le=10)
    payment: Literal["transfer", "optional"]
    # A row may be paid in cash through a channel named in the bank column ("PT POS INDONESIA").
    cash_channel: bool = False
    banks: list[str] | Literal["any"] = Field(min_length=1)
    amount: AmountRule | None = None
    exclusive_with: list[str] = []
    area: list[str] = []  # region code prefixes (digits or dotted); empty: anywhere
    min_age: Whole | None = Field(default=None, ge=0, le=120)
    max_age: Whole | None = Field(default=None, ge=0, le=120)  # a scholarship, a child's benefit
    group: GroupRule | None = None
    extra_headers: dict[str, list[str]] = {}
    name_similarity: float = Field(default=0.85, ge=0.5, le=1.0)
    codes: dict[str, CodeSetting] = {}

    @model_validator(mode="after")
    def _ages(self) -> Program:
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValueError(f"'min_age' ({self.min_age}) tidak boleh lebih besar daripada 'max_age' ({self.max_age})")
        return self

    @field_validator("area")
    @classmethod
    def _digits(cls, v: list[str]) -> list[str]:
        out = [str(a).replace(".", "").strip() for a in v]
        bad = [str(a) for a, o in zip(v, out, strict=True) if not (o.isdigit() and len(o) in (2, 4, 6, 10))]
        if bad:
            shown = ", ".join(f"'{b}'" for b in bad)
            raise ValueError(f"harus berisi kode wilayah Kemendagri (2, 4, 6 atau 10 digit, boleh bertitik, "
                             f"misalnya '12.71'); {shown} bukan kode wilayah")
        return out


# Fields the checks read that columns.yaml does not name: a group program adds their headers.
PROGRAM_FIELDS = {"nama_kelompok", "jabatan"}


class Columns(_Strict):
    fields: dict[str, list[str]]
    # Spellings that stand in for a field (the pengurus's NIK for the recipient's): used only when
    # no other column of the list names that field.
    stand_ins: dict[str, list[str]] = {}


# A marker around a header: "NIK*", "NO. KK *)", "NAMA:" (a required column, a footnote).
_MARKS = " \t\r\n*:\u00a0"


def _bare_header(text: str) -> str:
    text = re.sub(r"\*+\)$", "", str(text).strip(_MARKS)).strip(_MARKS)
    return re.sub(r"\s*\([^)]*\)\s*$", "", text).strip(_MARKS)


def header_key(text: str) -> str:
    """Header text as compared: case, spaces, dots, underscores, a trailing unit and a
    required-column marker (`*`, `*)`, `:`) ignored."""
    return re.sub(r"[\s._\-]+", "", _bare_header(text)).upper()


def header_key_expr(cells: pl.Expr) -> pl.Expr:
    """header_key() of every cell, vectorised (the same steps; a column of names has as many
    distinct values as rows, too many for a Python call each)."""
    text = cells.str.strip_chars(_MARKS).str.replace(r"\*+\)$", "").str.strip_chars(_MARKS)
    text = text.str.replace(r"\s*\([^)]*\)\s*$", "").str.strip_chars(_MARKS)
    return text.str.replace_all(r"[\s._\-]+", "").str.to_uppercase()


def header_words(text: str) -> tuple[str, ...]:
    """Header text as words, for 'starts with a known header' matching."""
    text = _bare_header(text)
    return tuple(w for w in re.split(r"[^0-9A-Za-z]+", text.upper()) if w)


class HeaderMap(dict):
    """header_key -> field, plus the known headers as words (longest first) for prefix matching."""

    prefixes: list[tuple[tuple[str, ...], str]] = []
    # header_key -> 1 for a stand-in spelling ("NIK Pengurus"), 0 for the others: when two columns
    # name one field, a column of rank 0 wins, then the first.
    rank: dict[str, int] = {}


class Rulebook:
    """Everything loaded from one rules/ directory."""

    def __init__(self, catalog: dict[str, CatalogEntry], banks: list[Bank], columns: Columns,
                 programs: dict[str, Program], digest: str, broken: dict[str, list[str]] | None = None,
                 rules_dir: Path | None = None):
        self.catalog = catalog
        self.banks = banks
        self.columns = columns
        self.programs = programs  # the programs whose files are sound
        self.digest = digest
        self.broken = broken or {}  # program file stem -> its problems (that program is unavailable)
        self.rules_dir = rules_dir

    def program(self, program_id: str) -> Program:
        # "PKH", " pkh " and "Maghrib-Mengaji" name the same rule set as "pkh" / "maghrib_mengaji".
        key = program_id.strip().lower().replace("-", "_").replace(" ", "_")
        if key in self.broken:
            # Said to whoever asked for the program, an operator on the web too: the problems name
            # the file inside rules/, not where the server keeps it.
            listing = "\n".join(f"  - {p}" for p in self.broken[key])
            raise UserError(
                f"Program '{key}' belum dapat dipakai: berkas aturannya memiliki {len(self.broken[key])} masalah. "
                f"Admin Dinas Sosial perlu memperbaikinya:\n{listing}",
                f"Program '{key}' cannot be used yet: its rule file has {len(self.broken[key])} problem(s) for the "
                "Dinas Sosial admin to fix.", code="rules_invalid")
        try:
            return self.programs[key]
        except KeyError:
            known = ", ".join(sorted(self.programs))
            typed = mask_echo(program_id)  # a NIK typed into the wrong field is not quoted back whole
            raise UserError(
                f"Program '{typed}' tidak dikenal. Pilih salah satu: {known}.",
                f"Unknown program '{typed}'. Choose one of: {known}.",
            ) from None

    def exclusive_partners(self, program_id: str) -> set[str]:
        """Mutual exclusion is symmetric: declared on either side, it holds both ways."""
        own = set(self.programs[program_id].exclusive_with)
        others = {p.id for p in self.programs.values() if program_id in p.exclusive_with}
        return own | others

    def severity(self, program: Program, code: str) -> Severity:
        setting = program.codes.get(code)
        if setting and setting.severity:
            return setting.severity
        return self.catalog[code].severity

    def enabled(self, program: Program, code: str) -> bool:
        setting = program.codes.get(code)
        return setting.enabled if setting else True

    def header_map(self, program: Program) -> HeaderMap:
        """Normalised header text -> field, the program's own aliases first."""
        mapping = HeaderMap()
        mapping.rank = {}
        pairs: dict[tuple[str, ...], str] = {}
        spelt = [(f, hs + [f], 0) for f, hs in list(program.extra_headers.items()) + list(self.columns.fields.items())]
        for field, headers, rank in spelt + [(f, hs, 1) for f, hs in self.columns.stand_ins.items()]:
            for h in headers:
                key = header_key(h)
                if key not in mapping:
                    mapping[key] = field
                    mapping.rank[key] = rank
                if header_words(h):
                    pairs.setdefault(header_words(h), field)
        mapping.prefixes = sorted(pairs.items(), key=lambda p: len(p[0]), reverse=True)
        return mapping

    @cached_property
    def bank_aliases(self) -> dict[str, str]:
        """Normalised alias -> canonical bank name."""
        out: dict[str, str] = {}
        for bank in self.banks:
            for alias in [bank.name, *bank.aliases]:
                out[bank_key(alias)] = bank.name
        return out

    def bank(self, name: str) -> Bank:
        return next(b for b in self.banks if b.name == name)

    def program_banks(self, program: Program) -> list[str]:
        """The banks a program pays through: its list, or for `banks: any` every paying bank."""
        return [b.name for b in self.banks if b.pays] if program.banks == "any" else list(program.banks)


def bank_key(text: str) -> str:
    """Bank name as compared: upper case, legal-form words and punctuation dropped."""
    # Initials written with dots are one word: "B.R.I", "B. N. I." are BRI and BNI.
    t = re.sub(r"\b([A-Z])\.\s?(?=[A-Z](?:\.|\b))", r"\1", str(text).upper())
    t = re.sub(r"[^A-Z0-9 ]+", " ", t)
    t = re.sub(r"\b(PT|PERSERO|TBK|PERSERODA)\b", " ", t)
    return " ".join(t.split())


def default_rules_dir() -> Path:
    env = os.environ.get("BANSOS_RULES")
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parent.parent / "rules"
    if repo.is_dir():
        return repo
    return Path(__file__).resolve().parent / "_rules"  # the copy bundled into a wheel


class _DuplicateKey(yaml.MarkedYAMLError):
    pass


# The C loader, where PyYAML has it, reads the catalogue several times faster.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader that refuses a key written twice in one mapping: YAML would keep the last
    silently, dropping the first block's settings (two `codes:` blocks in one program file)."""

    def construct_mapping(self, node, deep=False):
        seen: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (str, int, float, bool)) and key in seen:
                raise _DuplicateKey(problem=f"kunci '{key}' tertulis dua kali", problem_mark=key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _file_label(path: Path) -> str:
    return f"programs/{path.name}" if path.parent.name == "programs" else path.name


def _read_yaml(path: Path, problems: list[str]):
    where = _file_label(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{where}: berkas tidak dapat dibaca ({type(exc).__name__}); simpan sebagai teks UTF-8")
        return None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        problems.append(f"{where}: {_yaml_problem(exc, text)}")
        return None


def _yaml_problem(exc: yaml.YAMLError, text: str) -> str:
    """A YAML error in the words of the dinas staff who edit the files: where, and what to do."""
    mark = getattr(exc, "problem_mark", None)
    if isinstance(exc, _DuplicateKey):
        return f"baris {mark.line + 1}: {exc.problem}; gabungkan isinya di bawah satu kunci"
    if mark is None:
        return f"YAML tidak dapat dibaca ({exc})"
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    hint = ("indentasi memakai Tab; gunakan spasi" if "\t" in line
            else "periksa indentasi, titik dua dan tanda kutip di baris itu atau di atasnya")
    return f"baris {mark.line + 1}, kolom {mark.column + 1}: YAML tidak dapat dibaca ({hint})"


# pydantic's error types in the words of the dinas staff who edit the rule files.
_PYDANTIC_ID = {
    "extra_forbidden": "kunci tidak dikenal (salah ketik? lihat README)",
    "missing": "wajib diisi",
    "int_parsing": "harus bilangan bulat", "int_type": "harus bilangan bulat",
    "int_from_float": "harus bilangan bulat",
    "float_parsing": "harus angka", "float_type": "harus angka",
    "bool_parsing": "harus true atau false", "bool_type": "harus true atau false",
    "string_type": "harus teks", "list_type": "harus daftar (- …)", "dict_type": "harus pemetaan (kunci: nilai)",
    "model_type": "harus pemetaan (kunci: nilai)",
    "literal_error": "harus salah satu dari: {expected}",
    "string_pattern_mismatch": "bentuknya tidak sah (huruf kecil, angka dan _; kode huruf besar)",
    "greater_than_equal": "tidak boleh kurang dari {ge}", "less_than_equal": "tidak boleh lebih dari {le}",
    "too_short": "tidak boleh kosong",
}


def _problem_text(err: dict) -> str:
    if err["type"] == "value_error":
        return str(err.get("ctx", {}).get("error", err["msg"]))
    text = _PYDANTIC_ID.get(err["type"])
    if text is None:
        return err["msg"]
    try:
        text = text.format(**{k: str(v).replace(" or ", " atau ") for k, v in (err.get("ctx") or {}).items()})
    except (KeyError, IndexError):
        pass
    given = err.get("input")
    if err["type"] not in ("missing", "extra_forbidden") and isinstance(given, (str, int, float, bool)):
        text += f" (tertulis {given!r})"
    return text


def _parse(model, data, where: str, problems: list[str]):
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            # (A union's branch, "list[str]", is pydantic's, not the file's.)
            loc = ".".join(str(p) for p in err["loc"] if not re.search(r"[\[(]", str(p)))
            problems.append(f"{where}: {loc}: {_problem_text(err)}")
        return None


def load_rules(rules_dir: Path | None = None) -> Rulebook:
    """Load and cross-check every rule file; report every problem at once.

    A problem in catalog.yaml, banks.yaml or columns.yaml stops every command. A problem in one
    program's file makes that program unavailable (asking for it reports every problem of its
    file), so a typo in a local program never stops PKH."""
    rules_dir = rules_dir or default_rules_dir()
    problems: list[str] = []
    digest = hashlib.sha256()

    files = [rules_dir / "catalog.yaml", rules_dir / "banks.yaml", rules_dir / "columns.yaml"]
    program_files = sorted((rules_dir / "programs").glob("*.yaml"))
    # Saved as .yml: never read, so asking for the program says why.
    misnamed = sorted(p for p in (rules_dir / "programs").glob("*.yml") if not (p.with_suffix(".yaml")).exists())
    for f in files + program_files:
        if f.exists():
            digest.update(f.name.encode() + b"\0" + f.read_bytes())

    raw_catalog = _read_yaml(files[0], problems) or {}
    catalog: dict[str, CatalogEntry] = {}
    for i, item in enumerate(raw_catalog.get("codes", []) if isinstance(raw_catalog, dict) else []):
        entry = _parse(CatalogEntry, item, f"catalog.yaml codes[{i}]", problems)
        if entry:
            if entry.code in catalog:
                problems.append(f"catalog.yaml: kode {entry.code} tertulis dua kali")
            catalog[entry.code] = entry

    raw_banks = _read_yaml(files[1], problems) or {}
    raw_bank_list = raw_banks.get("banks", []) if isinstance(raw_banks, dict) else []
    banks = [b for i, item in enumerate(raw_bank_list)
             if (b := _parse(Bank, item, f"banks.yaml bank ke-{i + 1}" + (f" ({item['name']})" if isinstance(
                 item, dict) and item.get("name") else ""), problems))]
    columns = _parse(Columns, _read_yaml(files[2], problems) or {}, "columns.yaml", problems)

    # (A bank whose entry has its own problem is still a bank a program may name.)
    bank_names = {b.name for b in banks} | {str(i["name"]) for i in raw_bank_list if isinstance(i, dict) and i.get("name")}
    fields = (set(columns.fields) if columns else set()) | PROGRAM_FIELDS
    stems = {f.stem for f in program_files}
    programs: dict[str, Program] = {}
    broken: dict[str, list[str]] = {}
    headers = _header_owners(columns)
    for f in misnamed:
        broken[f.stem] = [f"programs/{f.name}: akhiran berkas harus .yaml, bukan .yml; ganti nama menjadi {f.stem}.yaml"]
    for f in program_files:
        own: list[str] = []
        where = _file_label(f)
        raw = _read_yaml(f, own)
        if raw is None and not own:
            own.append(f"{where}: berkas kosong; isi seperti berkas program lain (lihat README)")
        if raw is not None and not isinstance(raw, dict):
            own.append(f"{where}: isinya harus pemetaan (kunci: nilai), seperti program lain")
        elif isinstance(raw, dict):
            # Checked on the file as written, so a file with other problems still reports these.
            if raw.get("id") not in (None, f.stem):
                own.append(f"{where}: id '{raw.get('id')}' harus sama dengan nama berkas '{f.stem}'")
            named_banks = raw.get("banks")
            if isinstance(named_banks, list):
                for name in sorted({str(b) for b in named_banks} - bank_names):
                    own.append(f"{where}: bank '{name}' tidak ada di banks.yaml")
            for code in sorted(set(raw.get("codes") or {}) - set(catalog)):
                own.append(f"{where}: kode '{code}' tidak ada di catalog.yaml")
            for other in sorted({str(o) for o in raw.get("exclusive_with") or []} - stems):
                own.append(f"{where}: exclusive_with '{other}' bukan program (berkas programs/{other}.yaml tidak ada)")
            extra = raw.get("extra_headers")
            if isinstance(extra, dict):
                for name in sorted(set(extra) - fields):
                    own.append(f"{where}: extra_headers '{name}' bukan kolom yang dikenal (columns.yaml: "
                               f"{', '.join(sorted(fields))})")
                own.extend(_header_conflicts(where, extra, headers))
            own.extend(_area_problems(where, raw.get("area")))
            prog = _parse(Program, raw, where, own)
            if prog is not None and not own:
                programs[prog.id] = prog
        if own:
            broken[f.stem] = own
    _same_names(programs, broken, rules_dir)
    if not program_files:
        problems.append(f"tidak ada berkas program di {rules_dir / 'programs'}")
    if problems:  # a shared file is broken: nothing can run; every problem is listed, the programs' too
        _refuse(rules_dir, problems + [p for own in broken.values() for p in own])
    return Rulebook(catalog, banks, columns, programs, digest.hexdigest()[:12], broken=broken, rules_dir=rules_dir)


def _same_names(programs: dict[str, Program], broken: dict[str, list[str]], rules_dir: Path) -> None:
    """Two programs under one name cannot be told apart by an operator: the file written later
    (the newcomer) is made unavailable, saying which program holds the name; the other keeps working."""
    by_name: dict[str, list[str]] = {}
    for pid, prog in programs.items():
        by_name.setdefault(prog.name.strip().upper(), []).append(pid)
    for ids in by_name.values():
        if len(ids) < 2:
            continue
        ids.sort(key=lambda pid: ((rules_dir / "programs" / f"{pid}.yaml").stat().st_mtime, pid))
        for pid in ids[1:]:
            broken[pid] = [f"programs/{pid}.yaml: nama program '{programs[pid].name}' sama dengan "
                           f"programs/{ids[0]}.yaml; operator tidak dapat membedakan keduanya, beri nama lain"]
            del programs[pid]


def _header_owners(columns: Columns | None) -> dict[str, str]:
    """header_key -> the field columns.yaml gives that header to."""
    if columns is None:
        return {}
    return {header_key(h): field for table in (columns.fields, columns.stand_ins)
            for field, spellings in table.items() for h in [field, *spellings]}


def _header_conflicts(where: str, extra: dict, owners: dict[str, str]) -> list[str]:
    """A program's extra header that columns.yaml already gives to another field would take that
    column away from it (NIK read as the amount)."""
    out = []
    for field, spellings in extra.items():
        for h in spellings if isinstance(spellings, list) else []:
            owner = owners.get(header_key(str(h)))
            if owner is not None and owner != field:
                out.append(f"{where}: extra_headers {field}: judul '{h}' sudah milik kolom '{owner}' di columns.yaml; "
                           "hapus atau ganti judul itu")
    return out


def _area_problems(where: str, area) -> list[str]:
    """Area prefixes that are no region in the Kemendagri list (a name, a typo)."""
    if not isinstance(area, list):
        return []
    from validator.wilayah import load_regions  # the region list, loaded once per process

    regions = load_regions()
    known = regions.provinces | regions.kabupaten | regions.kecamatan
    out = []
    for a in area:
        code = str(a).replace(".", "").strip()
        if code.isdigit() and len(code) in (2, 4, 6) and code not in known:
            out.append(f"{where}: area '{a}' tidak ada dalam daftar kode wilayah Kemendagri")
    return out


def _refuse(rules_dir: Path, problems: list[str]) -> None:
    listing = "\n".join(f"  - {p}" for p in problems)
    raise UserError(
        f"Berkas aturan di {rules_dir} memiliki {len(problems)} masalah; perbaiki semuanya:\n{listing}",
        f"The rule files in {rules_dir} have {len(problems)} problem(s); fix all of them.",
        code="rules_invalid",
    )
