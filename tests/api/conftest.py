from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar.testing import TestClient

from app.asgi import create_app
from app.settings import Settings
from app.store.base import GraphStore


@pytest.fixture
def client(store: GraphStore, tmp_path) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    app = create_app(Settings(data_dir=tmp_path / "unused"), store=store)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def base(tenant: str) -> str:
    return f"/api/v1/{tenant}"
