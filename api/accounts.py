"""Accounts of the HTTP API: who may do what, and their bearer tokens (stored hashed)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass

from validator.errors import UserError, mask_echo
from validator.store import Store, run

ROLES = ("operator", "finance", "council", "admin")
ROLE_TEXT = {"operator": "operator kecamatan", "finance": "keuangan Dinas Sosial",
             "council": "anggota DPRD", "admin": "admin"}


@dataclass(frozen=True)
class User:
    id: str
    name: str
    role: str
    kecamatan: str | None


def token_hash(token: str) -> str:
    # A token is 32 random bytes (256 bits), so a plain SHA-256 is enough: a slow password hash
    # (bcrypt, argon2) only protects low-entropy secrets people choose, and would slow every request.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_user(store: Store, name: str, role: str, kecamatan: str | None = None) -> tuple[User, str]:
    """Add an account; returns it with its token, which is shown once and never stored."""
    from validator.engine import parse_kecamatan
    from validator.wilayah import load_regions

    name = " ".join(name.replace("\u200b", "").replace("\ufeff", "").split())
    if not name or not any(ch.isalpha() for ch in name):
        raise UserError("Nama akun harus berisi huruf (nama orang atau jabatannya).",
                        "The account name must hold letters.", code="bad_name")
    if any(ord(ch) < 32 for ch in name) or len(re.sub(r"\D", "", name)) >= 10:
        # A NIK or a phone number typed as the name would be shown on every page and in the audit.
        raise UserError("Nama akun tidak boleh berisi NIK, nomor telepon atau karakter kendali; tulis nama orang "
                        "atau jabatannya.", "The account name must not hold a NIK, a phone number or control "
                        "characters.", code="bad_name")
    if role not in ROLES:
        raise UserError(f"Peran '{mask_echo(role)}' tidak dikenal. Pilih salah satu: {', '.join(ROLES)}.",
                        f"Unknown role '{mask_echo(role)}'. Choose one of: {', '.join(ROLES)}.", code="bad_role")
    code = parse_kecamatan(kecamatan, load_regions())
    if role != "operator" and code is not None:
        raise UserError("Hanya akun operator yang terikat pada kecamatan; kosongkan kecamatan untuk peran ini.",
                        "Only operator accounts belong to a kecamatan; leave it empty for this role.",
                        code="kecamatan_not_for_role")
    if run(store.con, "SELECT 1 FROM users WHERE lower(name) = lower(?) AND NOT disabled", [name]):
        # The audit of look-ups records who by name: two active accounts of one name are one actor.
        raise UserError(f"Sudah ada akun aktif bernama '{name}'. Pakai nama lain (mis. tambahkan jabatan atau "
                        "kecamatan), atau nonaktifkan akun lama lebih dulu.",
                        f"An active account named '{name}' exists already; use another name.", code="duplicate_name")
    if role == "operator" and code is None:
        raise UserError("Akun operator harus punya kecamatan (--kecamatan, mis. 12.71.17): operator hanya "
                        "melihat dan mengirim daftar kecamatannya sendiri.",
                        "An operator account needs --kecamatan.", code="operator_needs_kecamatan")
    token = secrets.token_urlsafe(32)
    user = User(id=uuid.uuid4().hex[:16], name=name, role=role, kecamatan=code)
    with store.transaction():
        run(store.con, "INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, false)",
            [user.id, user.name, user.role, user.kecamatan, token_hash(token), dt.datetime.now()])
    return user, token


def user_by_token(store: Store, token: str) -> User | None:
    found = run(store.con, "SELECT id, name, role, kecamatan FROM users WHERE token_sha256 = ? AND NOT disabled",
                [token_hash(token)])
    return User(*found[0]) if found else None
