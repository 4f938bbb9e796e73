"""Validate one list: read, check, and shape the result every report is a view of."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from validator.checks import CheckContext, rule_like, run_checks
from validator.errors import UserError, id_as_period, mask_echo, thousands
from validator.ingest import ListData, check_file, read_list, sha256_of
from validator.reports.messages import context_params, render
from validator.rulebook import Program, Rulebook, load_rules
from validator.store import Store, history, run
from validator.wilayah import Regions, dotted, load_regions, normalise_kecamatan_code, place_key

Progress = Callable[[str, float], None]


@dataclass
class Outcome:
    """Everything known after validating one list."""

    program: Program
    rules: Rulebook
    regions: Regions
    listing: ListData
    file_name: str
    sha256: str
    kecamatan: str | None
    period: str | None
    findings: pl.DataFrame  # FINDING_SCHEMA + severity, message, message_en, _order
    rows: pl.DataFrame  # _idx, row, sheet, nik, nama, status
    checks_skipped: list[dict] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    prepared: pl.DataFrame | None = None
    compared_to: dict | None = None
    recorded: bool = False  # to be recorded in the store (--store, or an upload)
    committed: bool = False  # recorded: the store holds it (set by write_outputs)
    submission_id: str = field(default_factory=history.new_submission_id)

    @property
    def rule_set_version(self) -> str:
        return f"{self.program.version}+{self.rules.digest}"

    def row_results(self) -> pl.DataFrame:
        """One row per data row, as the history store keeps it."""
        p = self.prepared
        codes = self.findings.group_by("_idx").agg(pl.col("code").unique().sort().str.join(", ").alias("codes"))
        extra = p.select("_idx", pl.col("_nik_ok").alias("nik_ok"),
                         pl.when(pl.col("_kk_ok")).then(pl.col("_kk")).alias("no_kk"),
                         pl.when(pl.col("_dob_ok")).then(pl.col("_dob")).alias("tanggal_lahir"),
                         pl.col("_amount").alias("nominal"),
                         # The bank's canonical name when recognised, else as typed; the account
                         # as cleaned (digits only when the check passed it).
                         pl.coalesce("_bank", "_bank_raw").alias("bank"),
                         pl.col("_acct").alias("no_rekening"))
        return (self.rows.join(extra, on="_idx", how="left").join(codes, on="_idx", how="left")
                .with_columns(pl.col("codes").fill_null("")).sort("_idx")
                .select("row", "sheet", "nik", "nik_ok", "no_kk", "nama", "tanggal_lahir", "status",
                        "nominal", "bank", "no_rekening", "codes"))

    def findings_table(self) -> pl.DataFrame:
        row_of = self.rows.select("_idx", "row")
        return self.findings.join(row_of, on="_idx").select(
            "row", "code", "severity", "field", "value", "message", "message_en")

    @property
    def summary(self) -> dict:
        counts = dict(self.rows.group_by("status").len().iter_rows())
        by_code = dict(self.findings.group_by("code").len().sort("code").iter_rows())
        order = {c: i for i, c in enumerate(self.rules.catalog)}
        return {
            "rows": self.rows.height,
            "accepted": counts.get("accepted", 0),
            "review": counts.get("review", 0),
            "rejected": counts.get("rejected", 0),
            "skipped_rows": len(self.listing.skipped),
            "by_code": dict(sorted(by_code.items(), key=lambda kv: order.get(kv[0], 999))),
        }


def parse_kecamatan(text: str | None, regions: Regions) -> str | None:
    if text is None or text == "":
        return None
    code = normalise_kecamatan_code(text)
    if code in regions.kecamatan and code not in regions.named_kecamatan:
        # A code from before 2016, valid on NIKs issued then but sending no list (Pangandaran's
        # 32.07.22 until 2012): today's code, where the name is one kecamatan's today.
        name = regions.name(code)
        now = [c for c in regions.kecamatan_by_key.get(place_key(name), ()) if c in regions.current_kecamatan]
        today = dotted(now[0]) if len(now) == 1 else None
        raise UserError(f"Kode kecamatan {dotted(code)} ({name}) sudah tidak berlaku sejak sebelum 2016."
                        + (f" Kode {name} sekarang {today}." if today else "") + " Tulis kode yang berlaku sekarang.",
                        f"Kecamatan code {dotted(code)} ({name}) has not been in use since before 2016."
                        + (f" {name} is now {today}." if today else ""), code="bad_kecamatan")
    if code is None or code not in regions.named_kecamatan:
        typed = mask_echo(text, 7)  # a mistyped 6-digit code stays readable; a NIK does not come back
        raise UserError(
            f"Kode kecamatan '{typed}' tidak dikenal. Tulis kode Kemendagri 6 angka, misalnya 12.71.17 atau 127117.",
            f"Unknown kecamatan code '{typed}'. Use the 6-digit Kemendagri code, e.g. 12.71.17.",
            code="bad_kecamatan",
        )
    return code


def _status(findings: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
    per_row = findings.group_by("_idx").agg(
        pl.when((pl.col("severity") == "reject").any()).then(pl.lit("rejected"))
        .otherwise(pl.lit("review")).alias("status"))
    return rows.join(per_row, on="_idx", how="left").with_columns(
        pl.col("status").fill_null("accepted"))


def _reading(name: str, run: Callable[[], dict]) -> dict:
    """Run a registry or exclusion query; a file that breaks past its first lines (DuckDB reads
    the header first, the rest while joining) is the user's to fix, not an internal error."""
    try:
        return run()
    except (duckdb.InvalidInputException, duckdb.ConversionException, duckdb.IOException) as exc:
        from validator.registry.extract import _duck_error

        raise UserError(
            f"Berkas {name} tidak dapat dibaca sampai akhir ({_duck_error(exc)}). Periksa baris yang disebut: "
            "pemisah kolom, tanda kutip, dan pengodean UTF-8; lalu jalankan lagi.",
            f"{name} could not be read to the end ({_duck_error(exc)}). Check the row named: delimiter, "
            "quotes and UTF-8 encoding; then run again.", code="registry_unreadable") from None


def _nik_sample(con: duckdb.DuckDBPyConnection, registry: Path) -> tuple[int, int]:
    """(rows, rows with a 16-digit NIK) among the first 10,000 rows of an extract file."""
    from validator.registry import scan_extract_fields

    source, _ = scan_extract_fields(con, registry)
    # (run() reads the answer to its end: a half-read result keeps the connection busy, and the
    # exclusion file registered next would be refused.)
    return _reading(registry.name, lambda: run(
        con, f"SELECT count(*), count(*) FILTER (WHERE nik_valid) FROM (SELECT nik_valid FROM {source} LIMIT 10000)"
    )[0])


def _unusable_extract(registry: Path, n: int, ok: int) -> None:
    """Refuse an extract that cannot match anyone (no rows, or NIKs Excel turned into numbers)
    rather than reject every recipient as not registered. `n`, `ok`: its _nik_sample."""
    if n == 0:
        raise UserError(
            f"Ekstrak registri {registry.name} tidak berisi data (hanya baris judul); jika dipakai, semua penerima akan "
            "ditandai tidak terdaftar di DTKS/DTSEN. Pemeriksaan dihentikan. Ambil ulang ekstrak DTKS/DTSEN yang "
            "berisi data, lalu jalankan lagi.",
            f"The registry extract {registry.name} holds no rows (a header only); used, every recipient would be "
            "marked not in the registry. Checking stopped. Get a registry extract that has data and run again.",
            code="empty_extract")
    if ok < n / 2:
        raise UserError(
            f"Sebagian besar NIK di ekstrak registri {registry.name} bukan 16 digit ({thousands(n - ok)} dari {thousands(n)} "
            "baris yang diperiksa), kemungkinan rusak oleh format angka Excel (1,27117E+15), sehingga hampir tidak ada "
            "penerima yang ditemukan di registri. Pemeriksaan dihentikan. Ekspor ulang ekstrak sebagai CSV dengan kolom "
            "NIK bertipe teks, lalu jalankan lagi.",
            f"Most NIKs in the registry extract {registry.name} are not 16 digits ({n - ok:,} of the {n:,} rows "
            "checked), probably damaged by Excel's number format (1.27117E+15), so hardly any recipient was found in "
            "the registry. Checking stopped. Export the extract again as CSV with the NIK column as text and run again.",
            code="registry_nik_damaged")


def _desil_unreadable(name: str) -> dict:
    """The warning for a registry whose desil column is mostly unreadable ('kelas-3')."""
    return {
        "code": "registry_desil_unreadable",
        "message": f"Sebagian besar desil di ekstrak DTKS/DTSEN {name} tidak terbaca (bukan angka 1-10), jadi penerima "
                   "yang desilnya tidak terbaca tidak diperiksa DTKS_DESIL. Beri tahu Dinas Sosial agar kolom desil "
                   "diperbaiki dan ekstraknya diimpor ulang.",
        "message_en": f"Most desil values in the DTKS/DTSEN extract {name} are unreadable (not a number 1-10), so "
                      "recipients whose desil cannot be read were not checked for DTKS_DESIL. Ask the Dinas Sosial to "
                      "fix the desil column and import the extract again.",
    }


# From this share of damaged NIKs in the registry on, a list's DTKS_TIDAK_TERDAFTAR rows may be
# the registry's fault rather than the person's: the result says so.
DAMAGED_REGISTRY_SHARE = 0.01


def _damaged_share(n: int, bad: int, name: str) -> dict | None:
    """The warning registry_partly_damaged, or None: `bad` of the registry's `n` NIKs are empty or
    not 16 digits (the imported registry's count, or a file's _nik_sample)."""
    if not n or not bad or bad < n * DAMAGED_REGISTRY_SHARE:
        return None
    share = f"{100 * bad / n:.1f}".replace(".", ",")
    return {
        "code": "registry_partly_damaged",
        "message": f"{share}% NIK di ekstrak DTKS/DTSEN {name} kosong atau bukan 16 digit (rusak, mis. oleh format "
                   "angka Excel). Sebagian baris DTKS_TIDAK_TERDAFTAR mungkin karena itu, bukan karena orangnya tidak "
                   "terdaftar: beri tahu Dinas Sosial agar ekstraknya diperbaiki dan diimpor ulang.",
        "message_en": f"{share.replace(',', '.')}% of the NIKs in the DTKS/DTSEN extract {name} are empty or not 16 "
                      "digits (damaged, e.g. by Excel). Some DTKS_TIDAK_TERDAFTAR rows may come from that rather "
                      "than from the person not being registered: ask the Dinas Sosial to fix and re-import it.",
    }


def _cross_list_findings(prepared: pl.DataFrame, findings: pl.DataFrame, ctx: CheckContext, *,
                         registry: Path | None,
                         exclusions: Path | None, store: Store | None, period: str | None,
                         skipped: list[dict], warnings: list[dict] | None = None) -> list[pl.DataFrame]:
    """Registry, exclusion-list and history checks; each one that cannot run says why."""
    from validator.checks import registri

    field_of = {c: e.field for c, e in ctx.rules.catalog.items()}
    parts: dict[str, pl.DataFrame] = {}
    rows = registri.list_rows(prepared, findings)  # readable NIKs: what every check below joins on
    con = store.con if store is not None else None
    if registry is not None or (store is not None and store.has_registry()):
        from validator.registry import imported_fields, scan_extract_fields, unreadable_fields

        con = con or duckdb.connect()
        # Read from a file, the extract is narrowed to the list's NIKs before it is normalised.
        if registry is not None:
            source, have = scan_extract_fields(con, registry, keys=registri.KEYS)
            unreadable = _reading(registry.name, lambda: unreadable_fields(con, registry))
            name = registry.name
        else:
            source = "registry"
            last = imported_fields(con)
            name, have, unreadable = last[:3] if last else ("registri", set(registri.COLUMN_CHECKS), set())
        if "desil" in unreadable and ctx.enabled("DTKS_DESIL") and registri.applies("DTKS_DESIL", ctx) \
                and warnings is not None:
            warnings.append(_desil_unreadable(name))
        found = _reading(name, lambda: registri.registry_findings(rows, ctx, con, source))
        missing = found.get("DTKS_TIDAK_TERDAFTAR")
        if missing is not None and missing.height:
            # How many of the registry's NIKs are damaged: a file's first rows (read once), else
            # what the import counted.
            if registry is not None:
                n, ok = _nik_sample(con, registry)
                bad = n - ok
                if missing.height * 2 > rows.height:
                    _unusable_extract(registry, n, ok)  # most NIKs not found: an empty or damaged file says so
            else:
                n, bad = (last.rows, last.malformed_nik) if last else (0, 0)
            damaged = _damaged_share(n, bad, name)
            if damaged is not None and warnings is not None:
                warnings.append(damaged)
        # An extract without the column a check reads would let that check pass every row.
        for column, code in registri.COLUMN_CHECKS.items():
            if column not in have and ctx.enabled(code) and registri.applies(code, ctx):
                found.pop(code, None)
                skipped.append({
                    "check": code,
                    "reason": f"ekstrak registri {name} tidak punya kolom {column} yang terbaca; {code} tidak "
                              "diperiksa",
                    "reason_en": f"the registry extract {name} has no readable {column} column; {code} not checked"})
        parts |= found
    else:
        skipped.append({"check": "registry", "reason": "data DTKS/DTSEN belum tersedia (belum diimpor oleh Dinas Sosial, atau --registry "
                                  "tidak diisi): kode DTKS_* tidak diperiksa",
                        "reason_en": "no registry data (not imported by the Dinas Sosial, or no --registry): the "
                                     "DTKS_* codes were not checked"})
    if exclusions is not None or (store is not None and store.has_exclusions()):
        from validator.registry import exclusion_counts, scan_exclusions

        con = con or duckdb.connect()
        source = scan_exclusions(con, exclusions) if exclusions is not None else "exclusions"
        if exclusions is not None:
            _reading(exclusions.name, lambda: exclusion_counts(con, source, exclusions, importing=False))
        parts |= _reading(exclusions.name if exclusions is not None else "pengecualian",
                          lambda: registri.exclusion_findings(rows, ctx, con, source))
    else:
        skipped.append({"check": "exclusions", "reason": "daftar pengecualian belum tersedia (belum diimpor oleh Dinas Sosial, atau "
                                  "--exclusions tidak diisi): DAFTAR_PENGECUALIAN tidak diperiksa",
                        "reason_en": "no exclusion list (not imported by the Dinas Sosial, or no --exclusions): "
                                     "DAFTAR_PENGECUALIAN was not checked"})
    if store is not None and ctx.sender and period:
        rules, program = ctx.rules, ctx.program
        parts |= {code: frame for code, frame in history.cross_findings(
            store, rows.select("_idx", "nik", "kk"),
            program=program.id, period=period, kecamatan=ctx.sender,
            partners=rules.exclusive_partners(program.id), household=ctx.household,
            household_programs={p.id for p in rules.programs.values() if p.unit == "household"},
            regions=ctx.regions, program_names={p.id: p.id.upper() for p in rules.programs.values()},
        ).items() if ctx.enabled(code)}
    else:
        skipped.append({"check": "history", "reason": "riwayat pengajuan tidak dipakai (--store dengan --kecamatan dan --period): "
                                  "GANDA_ANTAR_KECAMATAN dan GANDA_ANTAR_PROGRAM tidak diperiksa",
                        "reason_en": "no submission history (--store with --kecamatan and --period): "
                                     "GANDA_ANTAR_KECAMATAN and GANDA_ANTAR_PROGRAM were not checked"})
    return [rule_like(frame, code, field_of) for code, frame in parts.items()]


# Columns whose absence makes one code fire on every row: the operator is told the column was not
# found (its header may be spelt in a way not recognised) rather than left with a list of
# "empty" cells that are in fact full.
# (field, code, header to suggest, whether the program needs it, and what follows: Indonesian,
# English).
_NEEDED = (
    ("nama", "NAMA_KOSONG", "Nama", lambda p: True,
     ("setiap baris ditandai 'Nama kosong' (NAMA_KOSONG)", "every row gets NAMA_KOSONG")),
    ("no_kk", "KK_KOSONG", "No. KK", lambda p: p.unit == "household",
     ("setiap baris ditandai 'Nomor KK kosong' (KK_KOSONG)", "every row gets KK_KOSONG")),
    ("no_rekening", "REKENING_KOSONG", "No. Rekening", lambda p: p.payment == "transfer",
     ("setiap baris ditandai 'Nomor rekening kosong' (REKENING_KOSONG)", "every row gets REKENING_KOSONG")),
    ("nama_bank", "BANK_TIDAK_DIKENAL", "Bank", lambda p: p.payment == "transfer",
     ("nama bank dan panjang nomor rekening tidak diperiksa", "the bank and account lengths were not checked")),
    ("nominal", "NOMINAL_TIDAK_SESUAI", "Nominal", lambda p: p.amount is not None,
     ("nominal tidak dicocokkan dengan ketentuan program", "amounts were not checked against the program")),
    ("nama_kelompok", "KELOMPOK_TIDAK_SESUAI", "Nama Kelompok", lambda p: p.group is not None,
     ("susunan kelompok tidak diperiksa", "group composition was not checked")),
    ("jabatan", "KELOMPOK_TIDAK_SESUAI", "Jabatan", lambda p: p.group is not None,
     ("hanya jumlah anggota kelompok yang diperiksa; ada tidaknya tepat satu KETUA di setiap kelompok tidak "
      "diperiksa",
      "only the group sizes were checked, not that each group has one leader")),
)


def missing_columns(listing: ListData, program: Program, enabled: Callable[[str], bool]) -> list[dict]:
    """A warning per column the program needs that the header does not name."""
    if listing.frame.height == 0:
        return []
    shown = ", ".join(h for h in listing.headers if h)[:200] or "-"
    out = []
    for fld, code, header, needed, (so_id, so_en) in _NEEDED:
        if fld in listing.present or not needed(program) or not enabled(code):
            continue
        out.append({
            "code": "column_missing", "field": fld,
            "message": f"Kolom {header} tidak ditemukan, sehingga {so_id}. Jika kolom itu ada, beri judul "
                       f"'{header}' pada baris judul tabel lalu kirim lagi. Judul yang terbaca: {shown}",
            "message_en": f"No {header} column was found, so {so_en}. If the column is there, give it the "
                          f"header '{header}' and send the list again. Headers read: {shown}",
        })
    return out


def validate(path: Path, program_id: str, *, kecamatan: str | None = None, period: str | None = None,
             registry: Path | None = None, exclusions: Path | None = None, store: Store | None = None,
             rules: Rulebook | None = None, today: dt.date | None = None,
             progress: Progress | None = None) -> Outcome:
    """Validate one list. With `store`, the caller records the outcome (see `record_outcome`)."""
    step = progress or (lambda stage, frac: None)
    timings: dict[str, float] = {}
    rules = rules or load_rules()
    program = rules.program(program_id)
    regions = load_regions()
    sender = parse_kecamatan(kecamatan, regions)
    if (wrong := id_as_period(period)) is not None:
        raise wrong
    period = history.canonical_period(period) if period is not None else None
    today = today or dt.date.today()
    if store is not None and not (sender and period):
        raise UserError(
            "Untuk mencatat pengajuan (--store), isi juga --kecamatan dan --period: daftar baru menggantikan "
            "daftar lama kecamatan yang sama untuk program dan periode yang sama.",
            "Recording a submission (--store) needs --kecamatan and --period.", code="store_needs_scope")

    t0 = time.perf_counter()
    step("read", 0.0)
    # The file's hash (hashlib releases the GIL) is computed while polars reads the file.
    check_file(Path(path))  # before the hash starts: a pipe or /dev/zero would keep it reading forever
    with ThreadPoolExecutor(max_workers=1) as pool:
        hashing = pool.submit(sha256_of, Path(path))
        listing = read_list(Path(path), rules.header_map(program))
        digest = hashing.result()
    timings["read"] = time.perf_counter() - t0
    if store is not None and listing.frame.height == 0:
        # Recorded, it would replace the kecamatan's live list with nothing.
        raise UserError(
            f"Daftar {Path(path).name} tidak berisi baris data di bawah judul kolom, sehingga tidak dicatat (daftar "
            "yang sudah tercatat tetap berlaku). Isi data penerima, lalu kirim lagi.",
            f"{Path(path).name} has no data rows below its header, so it was not recorded (the list already "
            "recorded stays live). Fill in the recipients and send it again.", code="no_data_rows")

    t0 = time.perf_counter()
    step("checks", 0.3)
    ctx = CheckContext(rules=rules, program=program, regions=regions, today=today, sender=sender,
                       fields=listing.present, date1904=listing.date1904)
    prepared, findings = run_checks(listing.frame, ctx)
    listing.warnings.extend(ctx.warnings)
    listing.warnings.extend(missing_columns(listing, program, ctx.enabled))
    timings["checks"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    step("registry", 0.6)
    skipped = list(ctx.skipped)
    extra = _cross_list_findings(prepared, findings, ctx, registry=registry, exclusions=exclusions, store=store,
                                 period=period, skipped=skipped, warnings=listing.warnings)
    if extra:
        findings = pl.concat([findings, *extra], how="vertical_relaxed")
    timings["registry"] = time.perf_counter() - t0

    order = {c: i for i, c in enumerate(rules.catalog)}
    severity = {c: rules.severity(program, c) for c in rules.catalog}
    findings = findings.with_columns(
        pl.col("code").replace_strict(severity, return_dtype=pl.Utf8).alias("severity"),
        pl.col("code").replace_strict(order, return_dtype=pl.Int32).alias("_order"),
    )
    contexts = {lang: context_params(rules, program, regions, sender, lang) for lang in ("id", "en")}
    findings = render(findings, rules.catalog, contexts).sort(["_idx", "_order"])
    rows = prepared.select(
        "_idx",
        pl.col("_row").alias("row"),
        pl.lit(listing.sheet, pl.Utf8).alias("sheet"),
        pl.when(pl.col("_nik_16")).then(pl.col("_nik")).otherwise(pl.col("_nik_raw")).alias("nik"),
        pl.col("_name").alias("nama"),
    )
    rows = _status(findings, rows)
    step("checks", 0.8)
    outcome = Outcome(program=program, rules=rules, regions=regions, listing=listing,
                      file_name=Path(path).name, sha256=digest, kecamatan=sender, period=period,
                      findings=findings, rows=rows, checks_skipped=skipped, timings=timings,
                      prepared=prepared)
    if period is not None and history.period_months(period) is None:
        listing.warnings.append({
            "code": "period_unrecognised",
            "message": f"Periode '{period}' tidak berbentuk 2026-03 (bulan), 2026-T1 (triwulan/tahap), 2026-S1 "
                       "atau 2026: daftar ini hanya dibandingkan dengan daftar yang periodenya ditulis persis sama. "
                       "Periksa periodenya.",
            "message_en": f"Period '{period}' is not of the form 2026-03, 2026-T1, 2026-S1 or 2026: this list is "
                          "compared only with lists whose period is written exactly the same. Check the period.",
        })
    if store is not None:
        approved = run(store.con,
                       "SELECT max(version) FROM batches WHERE program = ? AND period = ? AND state = 'approved'",
                       [program.id, period])[0][0]
        if approved is not None:
            listing.warnings.append({
                "code": "period_approved",
                "message": f"Pencairan {program.name} periode {period} sudah disetujui keuangan (versi "
                           f"{approved}). Daftar ini tetap dicatat, tetapi baru dibayar jika keuangan memeriksa dan "
                           "menyetujui versi berikutnya; beri tahu bagian keuangan Dinas Sosial.",
                "message_en": f"The {program.name} payment for {period} is already approved by finance "
                              f"(version {approved}). This list is recorded, but is paid only if finance checks and "
                              "approves a next version; tell the Dinas Sosial finance office.",
            })
        previous = history.previous_submission(store, program.id, period, sender)
        if previous is not None:
            outcome.compared_to = history.compare_to(store, previous, outcome.row_results())
            shrunk = _shrunk(previous, outcome.rows.height)
            if shrunk:
                listing.warnings.append(shrunk)
    return outcome


# A resubmission that drops more than half of the live list it replaces, from this many rows on,
# is told loudly: it is most often only the corrected rows, sent as if they were the list.
SHRINK_FROM_ROWS = 20


def _shrunk(previous: dict, rows: int) -> dict | None:
    """The warning for a list much shorter than the live list it replaces, or None."""
    before = previous.get("rows") or 0
    if before < SHRINK_FROM_ROWS or rows * 2 >= before:
        return None
    n_before, n_now, n_gone = (thousands(n) for n in (before, rows, before - rows))
    return {
        "code": "list_shrunk",
        "message": f"Daftar ini berisi {n_now} baris, sedangkan daftar sebelumnya untuk program, periode dan "
                   f"kecamatan yang sama berisi {n_before} baris. Daftar ini menggantikannya seluruhnya, jadi "
                   f"{n_gone} baris tidak lagi diajukan. Jika yang dikirim hanya baris yang diperbaiki, kirim "
                   "ulang daftar lengkap (berkas asli beserta perbaikannya).",
        "message_en": f"This list has {rows:,} rows; the earlier list of the same program, period and kecamatan "
                      f"had {before:,}. This list replaces it whole, so {before - rows:,} rows are no longer "
                      "submitted. If only the corrected rows were sent, send the whole list again (the original "
                      "file with its corrections).",
    }


def record_outcome(store: Store, outcome: Outcome) -> None:
    """Record the submission in the store (one transaction)."""
    t0 = time.perf_counter()
    s = outcome.summary
    history.record(store, {
        "id": outcome.submission_id, "program": outcome.program.id, "period": outcome.period,
        "kecamatan": outcome.kecamatan, "file_name": outcome.file_name, "sha256": outcome.sha256,
        "created_at": dt.datetime.now(), "rule_set_version": outcome.rule_set_version,
        "rows": s["rows"], "accepted": s["accepted"], "review": s["review"], "rejected": s["rejected"],
    }, outcome.row_results(), outcome.findings_table())
    outcome.timings["store"] = time.perf_counter() - t0
