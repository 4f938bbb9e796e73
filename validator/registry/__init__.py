"""The social registry (DTKS / DTSEN) and exclusion lists: check, normalise and import into the store."""

from validator.registry.extract import (
    Example,
    ExtractReport,
    check_extract,
    extract_fields,
    import_exclusions,
    import_registry,
    scan_exclusions,
    scan_extract,
)
from validator.registry.schema import CHECKS, RegistryRow

__all__ = ["CHECKS", "Example", "ExtractReport", "RegistryRow", "check_extract", "extract_fields", "import_exclusions",
           "import_registry", "scan_exclusions", "scan_extract"]
