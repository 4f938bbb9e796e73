"""bansos-validator: validation of Indonesian social-assistance recipient lists."""
