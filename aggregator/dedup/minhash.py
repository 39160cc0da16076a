"""MinHash band keys without importing datasketch (whose package import pulls in scipy:
1.0 s of every crawl, measured with ``python -X importtime``).

Bit-for-bit the values of ``datasketch.MinHash(num_perm, seed, scheme="affine32")``
2.x: each shingle is hashed with the first 4 bytes of SHA-1 (little-endian), pre-mixed
with the MurmurHash3 32-bit finalizer, then permuted by ``a*h + b`` in uint32 with the
``(a, b)`` pairs drawn from ``numpy.random.RandomState(seed)`` as datasketch draws them.
tests/test_dedup_perf.py checks the equality against datasketch on real texts.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

import numpy as np

__all__ = ["permutations", "hash32", "minhash", "minhash_of_hashes", "EMPTY"]

EMPTY = np.uint32(0xFFFFFFFF)  # datasketch's initial (and "empty set") value


@lru_cache(maxsize=4)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``(a, b)`` as datasketch's ``_init_permutations`` draws them for affine32."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def hash32(items: list[bytes]) -> np.ndarray:
    """datasketch's ``sha1_hash32`` of each item, as one uint32 array."""
    sha1 = hashlib.sha1
    buf = b"".join(sha1(x).digest()[:4] for x in items)
    return np.frombuffer(buf, dtype="<u4").astype(np.uint32)


def _fmix32(hv: np.ndarray) -> np.ndarray:
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    return hv ^ (hv >> np.uint32(16))


def minhash(items: list[bytes], num_perm: int, seed: int = 1) -> np.ndarray:
    """The uint32 MinHash signature of ``items`` (all EMPTY when there are none)."""
    return minhash_of_hashes(hash32(items), num_perm, seed)


def minhash_of_hashes(h32: np.ndarray, num_perm: int, seed: int = 1) -> np.ndarray:
    """The signature from already computed ``sha1_hash32`` values (uint32 array)."""
    a, b = _columns(num_perm, seed)
    if not len(h32):
        return np.full(num_perm, EMPTY, dtype=np.uint32)
    hv = _fmix32(h32.astype(np.uint32))
    # One row per permutation, reduced along the row (contiguous), updated in place:
    # 17 % less time than a (shingles x permutations) array reduced down its columns
    # (1,000 pages of bench/crawl.py's mirror).
    with np.errstate(over="ignore"):
        phv = a * hv  # wraps modulo 2**32, as in datasketch
        phv += b
    return phv.min(axis=1)


@lru_cache(maxsize=4)
def _columns(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    a, b = permutations(num_perm, seed)
    return a.reshape(-1, 1), b.reshape(-1, 1)
