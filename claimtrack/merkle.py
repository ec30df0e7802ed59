"""RFC 6962 (Certificate Transparency) Merkle trees: tree heads, inclusion and consistency proofs.

Exactly the RFC's definitions (section 2.1, restated in RFC 9162 section 2.1):

- a leaf is hashed as SHA-256(0x00 || data), an interior node as SHA-256(0x01 || left || right);
- the tree over n leaves splits at k, the largest power of two smaller than n;
- the empty tree's head is SHA-256 of nothing.

The verification algorithms are RFC 9162's (2.1.3.2 and 2.1.4.2); the proof generation is RFC
6962's PATH and SUBPROOF. Tested against the published vectors of transparency-dev/merkle
(tests/test_merkle.py). Pure functions over bytes, no I/O: the change log's checkpoints
(claimtrack.services.checkpoints) and the row hashes of an import (claimtrack.rowhash) use it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_of_hashes(hashes: Sequence[bytes]) -> bytes:
    """The tree head over already-hashed leaves (or over complete, aligned subtree heads)."""
    n = len(hashes)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return hashes[0]
    k = _split(n)
    return node_hash(root_of_hashes(hashes[:k]), root_of_hashes(hashes[k:]))


def tree_head(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) over the leaves' data."""
    return root_of_hashes([leaf_hash(leaf) for leaf in leaves])


# --------------------------------------------------------------------------- proofs


def inclusion_proof(hashes: Sequence[bytes], index: int) -> list[bytes]:
    """PATH(m, D[n]) over leaf hashes: the audit path of leaf `index`."""
    n = len(hashes)
    if not 0 <= index < n:
        raise ValueError(f"leaf {index} is not in a tree of {n}")
    if n == 1:
        return []
    k = _split(n)
    if index < k:
        return [*inclusion_proof(hashes[:k], index), root_of_hashes(hashes[k:])]
    return [*inclusion_proof(hashes[k:], index - k), root_of_hashes(hashes[:k])]


def consistency_proof(hashes: Sequence[bytes], old_size: int) -> list[bytes]:
    """PROOF(m, D[n]) over leaf hashes: that the first `old_size` leaves are a prefix."""
    n = len(hashes)
    if not 0 <= old_size <= n:
        raise ValueError(f"a tree of {n} cannot extend one of {old_size}")
    if old_size in (0, n):
        return []
    return _subproof(hashes, old_size, True)


def _subproof(hashes: Sequence[bytes], m: int, whole: bool) -> list[bytes]:
    n = len(hashes)
    if m == n:
        return [] if whole else [root_of_hashes(hashes)]
    k = _split(n)
    if m <= k:
        return [*_subproof(hashes[:k], m, whole), root_of_hashes(hashes[k:])]
    return [*_subproof(hashes[k:], m - k, False), root_of_hashes(hashes[:k])]


def verify_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """RFC 9162 2.1.3.2: does `proof` show leaf hash `leaf` at `index` in the tree `root`?"""
    if index >= size or index < 0:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes,
                       proof: Sequence[bytes]) -> bool:
    """RFC 9162 2.1.4.2: is the tree `new_root` (new_size) an append-only extension of `old_root`?"""
    if old_size > new_size or old_size < 0:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof  # every tree extends the empty one
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # an exact power of two: the old root is a node itself
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0


# --------------------------------------------------------------------------- streaming


class ChunkedTree:
    """The tree head of a stream of leaf hashes, plus the heads of its aligned chunks.

    Memory stays bounded whatever the number of leaves: the heads of at most `max_chunks`
    complete chunks and a compact range (one head per set bit) of the chunk being filled. The
    chunk size starts at one leaf and doubles (adjacent chunk heads are combined) whenever there
    would be more than `max_chunks` of them, so a small tree keeps every leaf hash and a tree of
    a million leaves keeps 245 chunk heads of 4,096 leaves each. Since chunks are complete,
    aligned subtrees, `root_of_hashes(chunks)` is the RFC 6962 head of the whole stream.
    """

    def __init__(self, max_chunks: int = 256) -> None:
        if max_chunks < 2 or max_chunks & (max_chunks - 1):
            raise ValueError("max_chunks must be a power of two >= 2")
        self.max_chunks = max_chunks
        self.chunk_size = 1
        self.chunks: list[bytes] = []
        self._stack: list[tuple[int, bytes]] = []  # (size, head) of perfect subtrees, left to right
        self.size = 0

    def add(self, leaf: bytes) -> None:
        self.size += 1
        size, head = 1, leaf
        stack = self._stack
        while stack and stack[-1][0] == size:
            head = node_hash(stack.pop()[1], head)
            size *= 2
        if size == self.chunk_size:
            self.chunks.append(head)
            if len(self.chunks) > self.max_chunks:
                self._double()
        else:
            stack.append((size, head))

    def _double(self) -> None:
        pairs = self.chunks
        self.chunks = [node_hash(pairs[i], pairs[i + 1]) for i in range(0, len(pairs) - 1, 2)]
        self.chunk_size *= 2
        if len(pairs) % 2:
            # the odd one out is the left half of the chunk now being filled
            self._stack.insert(0, (self.chunk_size // 2, pairs[-1]))

    def finish(self) -> list[bytes]:
        """The chunk heads, the last one possibly of a partial chunk."""
        chunks = list(self.chunks)
        if self._stack:
            head = self._stack[-1][1]
            for _size, left in reversed(self._stack[:-1]):
                head = node_hash(left, head)
            chunks.append(head)
        return chunks

    def root(self) -> bytes:
        return root_of_hashes(self.finish())
