"""Signed checkpoints of the change log that others can hold (docs/history.md, "Checkpoints").

A checkpoint is a C2SP signed note (c2sp.org/signed-note, c2sp.org/tlog-checkpoint):

    <origin>
    <tree size: the number of events>
    <base64 RFC 6962 root over the events' hashes, in id order>

    — <key name> <base64(4-byte key ID || Ed25519 signature of the three lines above)>

Each leaf is the 32 bytes of one event's hash (claimtrack.merkle.leaf_hash adds the 0x00
prefix). Keys are stored in the text forms of golang.org/x/mod/sumdb/note, so other
transparency-log tools can read them: the private key as
`PRIVATE+KEY+<name>+<key ID hex>+<base64(0x01 || seed)>`, the public (verifier) key as
`<name>+<key ID hex>+<base64(0x01 || public key)>`, with
key ID = SHA-256(name || 0x0A || 0x01 || public key)[:4].
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from claimtrack.errors import InvalidInput
from claimtrack.merkle import consistency_proof, leaf_hash, root_of_hashes, verify_consistency

ED25519 = b"\x01"
DASH = "\u2014"
KEY_ENV = "CLAIMTRACK_LOG_KEY"
_NAME = re.compile(r"^[^\s+]+$")


def default_key_path() -> Path:
    """$CLAIMTRACK_LOG_KEY, else claimtrack's folder in the user's config directory."""
    if os.environ.get(KEY_ENV):
        return Path(os.environ[KEY_ENV]).expanduser()
    from platformdirs import user_config_path

    return user_config_path("claimtrack") / "log.key"


def key_id(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode("utf-8") + b"\n" + ED25519 + public).digest()[:4]


def check_name(name: str) -> str:
    if not name or not _NAME.match(name):
        raise InvalidInput(f"key name {name!r}: expected a non-empty name without spaces or '+', "
                           "e.g. newsroom.example/claimtrack")
    return name


@dataclass(frozen=True)
class Verifier:
    name: str
    public: bytes

    @property
    def id(self) -> bytes:
        return key_id(self.name, self.public)

    def text(self) -> str:
        return f"{self.name}+{self.id.hex()}+{base64.b64encode(ED25519 + self.public).decode()}"

    def verify(self, message: bytes, signature: bytes) -> bool:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        try:
            Ed25519PublicKey.from_public_bytes(self.public).verify(signature, message)
        except InvalidSignature:
            return False
        return True


def generate_key(name: str) -> tuple[str, Verifier]:
    """A new key pair: (the private key's text, the verifier)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    check_name(name)
    private = Ed25519PrivateKey.generate()
    seed = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                 serialization.NoEncryption())
    public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    verifier = Verifier(name, public)
    text = f"PRIVATE+KEY+{name}+{verifier.id.hex()}+{base64.b64encode(ED25519 + seed).decode()}"
    return text, verifier


def write_key_files(path: Path, name: str, *, force: bool = False) -> Verifier:
    """Write the private key to `path` (mode 0600) and its verifier to `path`.pub."""
    public_path = path.with_name(path.name + ".pub")
    for target in (path, public_path):
        if target.exists() and not force:
            raise InvalidInput(f"{target} already exists; give --force to replace it (signatures made with "
                               "the old key can then only be checked with its .pub file)")
    text, verifier = generate_key(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)
    public_path.write_text(verifier.text() + "\n", encoding="utf-8")
    return verifier


@dataclass(frozen=True)
class Signer:
    verifier: Verifier
    seed: bytes

    def sign(self, message: bytes) -> bytes:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return Ed25519PrivateKey.from_private_bytes(self.seed).sign(message)


def read_signer(path: Path) -> Signer:
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise InvalidInput(f"cannot read the signing key {path}: {exc.strerror}; create one with "
                           "`claimtrack log keygen` or point --key / $CLAIMTRACK_LOG_KEY at it") from None
    parts = text.split("+", 4)
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
        raise InvalidInput(f"{path} is not a claimtrack signing key (expected PRIVATE+KEY+name+id+key, "
                           "as `claimtrack log keygen` writes)")
    name, key = parts[2], _b64(parts[4], path)
    if len(key) != 33 or key[:1] != ED25519:
        raise InvalidInput(f"{path}: not an Ed25519 key")
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    public = Ed25519PrivateKey.from_private_bytes(key[1:]).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return Signer(Verifier(name, public), key[1:])


def read_verifier(path: Path) -> Verifier:
    """A verifier key file (`name+id+key`); a signing key file is accepted too."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise InvalidInput(f"cannot read the public key {path}: {exc.strerror}") from None
    if text.startswith("PRIVATE+KEY+"):
        return read_signer(path).verifier
    parts = text.split("+", 2)
    if len(parts) != 3:
        raise InvalidInput(f"{path} is not a claimtrack public key (expected name+id+key, as in the .pub file "
                           "`claimtrack log keygen` writes)")
    key = _b64(parts[2], path)
    if len(key) != 33 or key[:1] != ED25519:
        raise InvalidInput(f"{path}: not an Ed25519 public key")
    verifier = Verifier(parts[0], key[1:])
    if verifier.id.hex() != parts[1].lower():
        raise InvalidInput(f"{path}: the key ID {parts[1]} does not match the key")
    return verifier


def _b64(value: str, path: Path | str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except ValueError:
        raise InvalidInput(f"{path}: invalid base64 {value[:20]!r}") from None


# --------------------------------------------------------------------------- checkpoints


def _leaf_data(value: str) -> bytes:
    try:
        return bytes.fromhex(value)
    except (TypeError, ValueError):  # not a hash at all (a tampered row): never matches a real one
        return str(value).encode("utf-8", "surrogatepass")


def leaves(event_hashes: Iterable[str]) -> list[bytes]:
    return [leaf_hash(_leaf_data(value)) for value in event_hashes]


def checkpoint_text(origin: str, size: int, root: bytes) -> str:
    return f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"


def sign_checkpoint(signer: Signer, event_hashes: Sequence[str], origin: str | None = None) -> str:
    """The signed note for the log whose event hashes are `event_hashes` (in id order)."""
    origin = check_name(origin or signer.verifier.name)
    body = checkpoint_text(origin, len(event_hashes), root_of_hashes(leaves(event_hashes)))
    signature = signer.verifier.id + signer.sign(body.encode("utf-8"))
    return f"{body}\n{DASH} {signer.verifier.name} {base64.b64encode(signature).decode()}\n"


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    signed_by: str


def parse_checkpoint(text: str, verifier: Verifier, where: str = "checkpoint") -> Checkpoint:
    """Parse a signed note and check the verifier's signature on it (InvalidInput otherwise)."""
    if "\n\n" not in text:
        raise InvalidInput(f"{where}: not a signed note (no blank line before the signature lines)")
    cut = text.rindex("\n\n")
    body, signatures = text[:cut + 1], text[cut + 2:]
    lines = body.split("\n")
    if len(lines) < 4 or not lines[1].isdigit() or (lines[1] != "0" and lines[1].startswith("0")):
        raise InvalidInput(f"{where}: expected an origin line, a tree size and a root hash")
    root = _b64(lines[2], where)
    if len(root) != 32:
        raise InvalidInput(f"{where}: the root hash is not 32 bytes")
    verified = False
    for line in signatures.splitlines():
        if not line.startswith(DASH + " "):
            raise InvalidInput(f"{where}: malformed signature line {line[:40]!r}")
        parts = line[2:].split(" ")
        if len(parts) != 2:
            raise InvalidInput(f"{where}: malformed signature line {line[:40]!r}")
        name, raw = parts[0], _b64(parts[1], where)
        if name != verifier.name or raw[:4] != verifier.id:
            continue  # another key's signature: ignored, as the spec says
        if not verifier.verify(body.encode("utf-8"), raw[4:]):
            raise InvalidInput(f"{where}: the signature of {name} does not verify: the checkpoint was altered "
                               "or signed by another key")
        verified = True
    if not verified:
        raise InvalidInput(f"{where}: not signed by the key {verifier.name} ({verifier.id.hex()})")
    return Checkpoint(lines[0], int(lines[1]), root, verifier.name)


@dataclass(frozen=True)
class CheckpointResult:
    ok: bool
    checkpoint_size: int
    log_size: int
    message: str


def check_against(checkpoint: Checkpoint, event_hashes: Sequence[str]) -> CheckpointResult:
    """Is the log (its event hashes, in id order) an append-only extension of the checkpoint?"""
    hashes = leaves(event_hashes)
    n, m = len(hashes), checkpoint.size
    if n < m:
        return CheckpointResult(False, m, n, f"the checkpoint vouches for {m} events, the log has only {n}: "
                                             "events were deleted (the log was truncated or replaced)")
    new_root = root_of_hashes(hashes)
    proof = consistency_proof(hashes, m)
    old_root = checkpoint.root
    if not verify_consistency(m, n, old_root, new_root, proof):
        return CheckpointResult(False, m, n, f"the first {m} events are not those the checkpoint vouches for: "
                                             "the log was rewritten or replaced")
    return CheckpointResult(True, m, n, f"consistent with the checkpoint of {m} events signed by "
                                        f"{checkpoint.signed_by}: the log only grew since ({n} events now)")
