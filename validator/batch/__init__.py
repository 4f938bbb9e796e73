"""The disbursement gate: one program and period as a batch, checked with Great Expectations,
approved and frozen with a hash-chained manifest. Great Expectations loads only in `gate.py`."""
