"""The social registry (DTKS / DTSEN) and exclusion lists: check, normalise and import into the store."""

from validator.registry.extract import (
    Example,
    ExtractReport,
    check_extract,
    exclusion_counts,
    import_exclusions,
    import_registry,
    imported_fields,
    scan_exclusions,
    scan_extract,
    scan_extract_fields,
    unreadable_fields,
)
from validator.registry.schema import CHECKS, RegistryRow

__all__ = ["CHECKS", "Example", "ExtractReport", "RegistryRow", "check_extract", "exclusion_counts", "import_exclusions",
           "import_registry", "imported_fields", "scan_exclusions", "scan_extract",
           "scan_extract_fields", "unreadable_fields"]
