"""Pure domain: msgspec Structs and the logic that needs no database (validation, rendering, resolution)."""
