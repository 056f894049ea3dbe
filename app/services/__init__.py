"""Use cases: what the API and the CLI do, written once against the `GraphStore` protocol."""
