"""HTTP API and web pages (later)."""
