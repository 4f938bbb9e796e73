"""Errors a user can act on: one bilingual message, never a traceback."""


class UserError(Exception):
    """A mistake in the input or the invocation. The CLI exits 2 and prints `message_id`."""

    def __init__(self, message_id: str, message_en: str = "", code: str = "input_error"):
        super().__init__(message_id)
        self.message_id = message_id
        self.message_en = message_en
        self.code = code

    def line(self) -> str:
        # A message listing several problems, one a line, gets its English on a line of its own.
        sep = "\n" if "\n" in self.message_id else " / "
        return f"{self.message_id}" + (f"{sep}{self.message_en}" if self.message_en else "")


def env_number(name: str, default: float) -> float:
    """A positive number from the environment (a limit), or one clear line saying what to set."""
    import os

    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise UserError(f"Pengaturan {name}={text!r} tidak sah: tulis angka lebih dari 0, misalnya {default:g}.",
                        f"Setting {name}={text!r} is invalid: write a number above 0, e.g. {default:g}.",
                        code="bad_setting")
    return value
