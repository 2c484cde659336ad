"""The home's pseudonymisation key: made once, kept 0600, never printed; only its fingerprint is shared."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

KEY_BYTES = 32


class KeyFileError(Exception):
    """The key file is unreadable or malformed."""


def create_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(KEY_BYTES) + "\n")
    os.chmod(path, 0o600)


def load_key(path: Path) -> bytes:
    try:
        text = path.read_text(encoding="ascii").strip()
        key = bytes.fromhex(text)
    except (OSError, ValueError, UnicodeDecodeError):
        raise KeyFileError(
            f"{path} is not a followup key (64 hexadecimal characters). Restore it from your backup."
        ) from None
    if len(key) != KEY_BYTES:
        raise KeyFileError(f"{path} holds a key of {len(key)} bytes, not {KEY_BYTES}. Restore it from your backup.")
    return key


def fingerprint(key: bytes) -> str:
    """A short public fingerprint that tells keys apart without revealing them."""
    return hmac.new(key, b"followup key fingerprint v1", hashlib.sha256).hexdigest()[:16]


def vault_key(key: bytes) -> str:
    """The contact vault's encryption key, derived from the home's key (so one file to back up)."""
    return hmac.new(key, b"followup contact vault v1", hashlib.sha256).hexdigest()
