"""Errors a user can act on: one bilingual message, never a traceback."""


class UserError(Exception):
    """A mistake in the input or the invocation. The CLI exits 2 and prints `message_id`."""

    def __init__(self, message_id: str, message_en: str = "", code: str = "input_error"):
        super().__init__(message_id)
        self.message_id = message_id
        self.message_en = message_en
        self.code = code

    def line(self) -> str:
        return f"{self.message_id}" + (f" / {self.message_en}" if self.message_en else "")
