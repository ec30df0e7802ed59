"""claimtrack.merkle against the published RFC 6962 test vectors.

The vectors are those of Certificate Transparency's Go implementation, as kept in
transparency-dev/merkle (proof/verify_test.go, Apache-2.0): the eight leaves, the tree heads
of sizes 1-8, and their inclusion and consistency proofs.
"""

from __future__ import annotations

import os

import pytest

from claimtrack import merkle as m

LEAVES = [bytes.fromhex(h) for h in (
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
)]
ROOTS = [bytes.fromhex(h) for h in (
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
)]
EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

# (leaf number, 1-based; tree size; proof)
INCLUSION = [
    (1, 1, []),
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (3, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (2, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]
CONSISTENCY = [
    (1, 1, []),
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    (6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
]


def hashes(n: int) -> list[bytes]:
    return [m.leaf_hash(leaf) for leaf in LEAVES[:n]]


def test_empty_tree_head():
    assert m.tree_head([]).hex() == EMPTY


@pytest.mark.parametrize("size", range(1, 9))
def test_tree_heads(size):
    assert m.tree_head(LEAVES[:size]) == ROOTS[size - 1]


@pytest.mark.parametrize(("leaf", "size", "proof"), INCLUSION)
def test_inclusion_proofs(leaf, size, proof):
    wanted = [bytes.fromhex(p) for p in proof]
    assert m.inclusion_proof(hashes(size), leaf - 1) == wanted
    assert m.verify_inclusion(m.leaf_hash(LEAVES[leaf - 1]), leaf - 1, size, wanted, ROOTS[size - 1])


@pytest.mark.parametrize(("old", "new", "proof"), CONSISTENCY)
def test_consistency_proofs(old, new, proof):
    wanted = [bytes.fromhex(p) for p in proof]
    assert m.consistency_proof(hashes(new), old) == wanted
    assert m.verify_consistency(old, new, ROOTS[old - 1], ROOTS[new - 1], wanted)


@pytest.mark.parametrize(("old", "new", "proof"), [c for c in CONSISTENCY if c[2]])
def test_corrupted_consistency_proofs_fail(old, new, proof):
    """The probes of the reference tests: wrong sizes, roots, and mangled proofs."""
    good = [bytes.fromhex(p) for p in proof]
    r1, r2 = ROOTS[old - 1], ROOTS[new - 1]
    probes = [
        (old - 1, new, r1, r2, good), (old + 1, new, r1, r2, good), (old ^ 2, new, r1, r2, good),
        (old, new * 2, r1, r2, good), (old, new // 2, r1, r2, good),
        (old, new, b"WrongRoot", r2, good), (old, new, r1, b"WrongRoot", good), (old, new, r2, r1, good),
        (old, new, r1, r2, []), (old, new, r1, r2, [*good, b""]), (old, new, r1, r2, [*good, r1]),
        (old, new, r1, r2, [b"", *good]), (old, new, r1, r2, [r1, *good]), (old, new, r1, r2, good[:-1]),
    ]
    for i in range(len(good)):
        flipped = list(good)
        flipped[i] = bytes([flipped[i][0] ^ 16]) + flipped[i][1:]
        probes.append((old, new, r1, r2, flipped))
    for size1, size2, root1, root2, path in probes:
        if (size1, size2, root1, root2, path) == (old, new, r1, r2, good):
            continue
        assert not m.verify_consistency(size1, size2, root1, root2, path), (size1, size2, len(path))


@pytest.mark.parametrize(("leaf", "size", "proof"), [c for c in INCLUSION if c[2]])
def test_corrupted_inclusion_proofs_fail(leaf, size, proof):
    good = [bytes.fromhex(p) for p in proof]
    index, root, value = leaf - 1, ROOTS[size - 1], m.leaf_hash(LEAVES[leaf - 1])
    probes = [
        (index - 1, size, value, good, root), (index + 1, size, value, good, root),
        (index, size * 2, value, good, root), (index, size // 2, value, good, root),
        (index, size, b"WrongLeaf", good, root), (index, size, value, good, bytes.fromhex(EMPTY)),
        (index, size, value, [*good, b""], root), (index, size, value, [root, *good], root),
        (index, size, value, good[:-1], root),
    ]
    for i_, s_, v_, p_, r_ in probes:
        if (i_, s_) == (index, size) and v_ == value and p_ == good and r_ == root:
            continue
        assert not m.verify_inclusion(v_, i_, s_, p_, r_)


def test_sizes_that_are_always_consistent():
    assert m.verify_consistency(0, 0, b"x", b"x", [])
    assert m.verify_consistency(0, 5, b"x", b"y", [])
    assert not m.verify_consistency(1, 0, b"x", b"y", [])
    assert not m.verify_consistency(1, 1, b"x", b"y", [])


def test_chunked_tree_matches_the_tree_head_and_its_chunks():
    for n in (0, 1, 2, 3, 7, 8, 9, 255, 256, 257, 1000, 5000):
        leaves = [m.leaf_hash(os.urandom(8)) for _ in range(n)]
        tree = m.ChunkedTree(max_chunks=8)
        for leaf in leaves:
            tree.add(leaf)
        chunks = tree.finish()
        assert len(chunks) <= 9
        assert m.root_of_hashes(chunks) == m.root_of_hashes(leaves) == tree.root()
        size = tree.chunk_size
        for i, head in enumerate(chunks):
            assert head == m.root_of_hashes(leaves[i * size:(i + 1) * size])


def test_every_prefix_is_consistent_with_every_extension():
    leaves = [m.leaf_hash(os.urandom(4)) for _ in range(40)]
    for new in range(1, 41):
        for old in range(new + 1):
            proof = m.consistency_proof(leaves[:new], old)
            assert m.verify_consistency(old, new, m.root_of_hashes(leaves[:old]), m.root_of_hashes(leaves[:new]), proof)
