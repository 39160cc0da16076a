"""Helpers for the publishing tests: an in-process Datasette and its client."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from support import ROOT

SEARCH_EXPECTED = json.loads((ROOT / "tests" / "fixtures" / "search-expected.json").read_text("utf-8"))


class Client:
    """Synchronous wrapper over ``datasette.client`` (an in-process ASGI client)."""

    def __init__(self, db: Path, immutable: bool = False) -> None:
        from aggregator.publish.app import make_datasette

        self.ds = make_datasette(db, immutable=immutable)
        self.db_name = "news"  # served as "news" whatever the file name
        self.loop = asyncio.new_event_loop()
        self.loop.run_until_complete(self.ds.invoke_startup())

    def get(self, path: str, **params: Any) -> Any:
        return self.loop.run_until_complete(self.ds.client.get(path, params=params or None))

    def post(self, path: str, data: dict) -> Any:
        return self.loop.run_until_complete(self.ds.client.post(path, data=data))

    def rows(self, query: str, **params: Any) -> list[dict]:
        r = self.get(f"/{self.db_name}/{query}.json", _shape="array", **params)
        assert r.status_code == 200, r.text[:500]
        return r.json()

    def close(self) -> None:
        self.loop.close()


def story_of_url(conn: Any, url: str) -> str:
    row = conn.execute("select story_id from articles where canonical_url = ?", [url]).fetchone()
    assert row is not None, f"no article {url} in the demo database"
    return row[0]
