"""Thin Litestar controllers: parse, call a service, shape the answer."""
