"""Accounts of the HTTP API: who may do what, and their bearer tokens (stored hashed)."""

from __future__ import annotations

import datetime as dt
import hashlib
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

    name = name.strip()
    if not name:
        raise UserError("Nama akun tidak boleh kosong.", "The account name is empty.", code="bad_name")
    if role not in ROLES:
        raise UserError(f"Peran '{mask_echo(role)}' tidak dikenal. Pilih salah satu: {', '.join(ROLES)}.",
                        f"Unknown role '{mask_echo(role)}'. Choose one of: {', '.join(ROLES)}.", code="bad_role")
    code = parse_kecamatan(kecamatan, load_regions())
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
