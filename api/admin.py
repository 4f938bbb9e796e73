"""Admin: accounts, the audit list of look-ups, and registry / exclusion imports."""

from __future__ import annotations

import shutil
import uuid
from typing import BinaryIO

from api.accounts import User, create_user
from api.context import ApiContext
from api.errors import api_error
from api.services import MAX_UPLOAD_BYTES, safe_file_name
from validator.errors import UserError
from validator.store import Store, run

USER_COLUMNS = ["id", "name", "role", "kecamatan", "created_at", "disabled"]


def _user_dict(row: tuple) -> dict:
    d = dict(zip(USER_COLUMNS, row, strict=True))
    d["created_at"] = d["created_at"].isoformat(timespec="seconds")
    return d


def list_users(store: Store) -> list[dict]:
    return [_user_dict(r) for r in run(store.con, f"SELECT {', '.join(USER_COLUMNS)} FROM users "
                                                  "ORDER BY disabled, role, name")]


def _one(store: Store, user_id: str) -> dict:
    found = run(store.con, f"SELECT {', '.join(USER_COLUMNS)} FROM users WHERE id = ?", [user_id])
    if not found:
        raise api_error(404, "not_found", "Akun tidak ditemukan.", "Account not found.")
    return _user_dict(found[0])


def add_user(ctx: ApiContext, store: Store, name: str, role: str, kecamatan: str | None) -> dict:
    """The token is in this answer only: the store keeps its hash."""
    try:
        with ctx.write_lock:
            user, token = create_user(store, name, role, kecamatan)
    except UserError as exc:
        raise api_error(422, exc.code, exc.message_id, exc.message_en) from None
    return _one(store, user.id) | {"token": token}


def disable_user(ctx: ApiContext, store: Store, admin: User, user_id: str) -> dict:
    _one(store, user_id)
    if user_id == admin.id:  # so that some admin always remains able to log in
        raise api_error(409, "self_disable", "Akun Anda sendiri tidak dapat dinonaktifkan di sini.",
                        "You cannot disable your own account.")
    with ctx.write_lock:
        run(store.con, "UPDATE users SET disabled = true WHERE id = ?", [user_id])
    return _one(store, user_id)


def lookups_page(store: Store, page: int, per_page: int) -> dict:
    total = run(store.con, "SELECT count(*) FROM lookups")[0][0]
    rows = run(store.con, "SELECT time, actor, channel, nik_masked, search_masked FROM lookups ORDER BY time DESC "
                          "LIMIT ? OFFSET ?", [per_page, (page - 1) * per_page])
    items = [{"time": t.isoformat(timespec="seconds"), "actor": a, "channel": c, "nik_masked": m, "search": s}
             for t, a, c, m, s in rows]
    return {"page": page, "per_page": per_page, "total": total,
            "pages": max(1, -(-total // per_page)), "items": items}


def import_file(ctx: ApiContext, store: Store, kind: str, file: BinaryIO, file_name: str | None) -> dict:
    """Import a registry extract or an exclusion list uploaded by admin, replacing the current one.

    The file is removed afterwards: the store holds its rows, and a copy of the whole registry
    lying in the data folder is one more place personal data could leak from."""
    from validator.registry import import_exclusions, import_registry

    folder = ctx.data_dir / "imports" / uuid.uuid4().hex
    folder.mkdir(parents=True)
    path = folder / safe_file_name(file_name)
    try:
        size = 0
        with path.open("wb") as out:
            while chunk := file.read(1024 * 1024):
                size += len(chunk)
                if size > 10 * MAX_UPLOAD_BYTES:  # a province's registry extract is a few GB at most
                    raise api_error(413)
                out.write(chunk)
        with ctx.write_lock:
            if kind == "registry":
                return import_registry(path, store).to_dict()
            return import_exclusions(path, store)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
