"""Health thresholds from the sources file (issue 15): a ``[monitors]`` table sets them
for every source, ``[monitors.SOURCE]`` for one source. Keys are the fields of
``aggregator.health.Thresholds``; values are checked for type, range and finiteness.

```toml
[monitors]
max_error_rate = 0.3

[monitors.trendforce]
max_empty_runs = 4
```
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from aggregator.health import Thresholds

__all__ = ["MonitorsError", "load_monitors"]

# (low, high) per key; rates are shares of 0..1, counts whole numbers.
_RANGES: dict[str, tuple[float, float]] = {
    "max_empty_runs": (1, 1000), "max_error_rate": (0.0, 1.0), "max_fallback_rate": (0.0, 1.0),
    "max_days_without_success": (0.0, 3650.0), "window": (1, 1000), "max_challenges": (0, 100_000),
    "min_items": (1, 100_000), "min_last_items": (1, 100_000), "usual_coverage": (0.0, 1.0),
    "min_coverage": (0.0, 1.0), "min_body_ratio": (0.0, 1.0), "min_mean_body_units": (0.0, 1e6),
}


class MonitorsError(ValueError):
    """A ``[monitors]`` table that cannot be used; one line naming file and key."""


def _value(path: Path, where: str, key: str, value: Any, typ: type) -> Any:
    if key not in _RANGES:
        raise MonitorsError(f"{path}: [{where}] {key}: unknown threshold (known: {', '.join(sorted(_RANGES))})")
    low, high = _RANGES[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (typ is int and not isinstance(value, int)):
        raise MonitorsError(f"{path}: [{where}] {key}: expected {'a whole number' if typ is int else 'a number'}")
    if not math.isfinite(value) or not low <= value <= high:
        raise MonitorsError(f"{path}: [{where}] {key}: must be between {low:g} and {high:g}, got {value}")
    return typ(value)


def load_monitors(path: str | Path | None, base: Thresholds = Thresholds()
                  ) -> tuple[Thresholds, dict[str, Thresholds]]:
    """(thresholds for every source, per-source thresholds) from the file's ``[monitors]``
    table on top of ``base``; ``base`` and no overrides without a file or a table."""
    if not path or not Path(path).is_file():
        return base, {}
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise MonitorsError(f"{p}: cannot read monitors: {e}") from e
    table = data.get("monitors", {})
    if not isinstance(table, dict):
        raise MonitorsError(f"{p}: monitors: expected a table ([monitors])")
    types = {f.name: (int if f.type in ("int", int) else float) for f in fields(Thresholds)}
    common = {k: _value(p, "monitors", k, v, types.get(k, float))
              for k, v in table.items() if not isinstance(v, dict)}
    default = replace(base, **common)
    per_source = {}
    for name, sub in table.items():
        if isinstance(sub, dict):
            per_source[name] = replace(default, **{k: _value(p, f"monitors.{name}", k, v, types.get(k, float))
                                                  for k, v in sub.items()})
    return default, per_source
