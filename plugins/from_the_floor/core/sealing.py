"""Readers' contacts sealed at rest: encrypted to the column's public key with age.

A site's repository is usually public (GitHub Pages on a free account), and
every file the weekly job commits is published with it. So a contact is
written only as ciphertext: ``contact: age:<base64 of an age file>``. Anyone
can seal (the public key, ``FLOOR_AGE_RECIPIENT``, sits in pelicanconf.py);
only the author's private key opens (a git-ignored ``.floor/age-key.txt``
locally, the ``FLOOR_AGE_KEY`` secret in CI).

Why age: a small, reviewed, versioned format (age-encryption.org/v1) with an
independent command-line tool, so an author can open their own files without
this kit (``base64 -d | age -d -i .floor/age-key.txt``). pyrage binds the Rust
implementation and ships wheels; nothing here invents cryptography.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyrage
from pyrage import x25519

from ..errors import FloorError
from .atomic import atomic_write_text

PREFIX = "age:"
SETTING = "FLOOR_AGE_RECIPIENT"
ENV_KEY = "FLOOR_AGE_KEY"  # the private key's text, as the CI secret holds it
KEY_FILE = Path(".floor") / "age-key.txt"
SEALED_FILE_SUFFIX = ".age"  # a whole file sealed (rejected messages kept for a retry)

_SECRET_LINE = re.compile(r"^AGE-SECRET-KEY-1[0-9A-Z]+$")

NO_KEY_FIX = (
    "the private key is missing: put it in .floor/age-key.txt beside pelicanconf.py, "
    f"or in the {ENV_KEY} environment variable (in GitHub Actions, the repository secret "
    f"{ENV_KEY}); see 'Privacy and reader text' in the README"
)
NO_RECIPIENT_FIX = (
    f"this site has no public key ({SETTING}) to seal readers' contacts with; run "
    "'floor keys init' (or 'floor seal', which also seals the contacts already stored)"
)


# Opened contacts, by key ring and ciphertext, for this process only (never on disk): a build asks for the
# same contacts several times (render workers, the guard, the archive), and each opening costs
# an X25519 agreement (about 0.3 ms).
_OPENED: dict[tuple[tuple[str, ...], str], str] = {}


class MissingKey(FloorError):
    """A contact must be opened and the private key is not here."""


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def seal_text(plain: str, recipient: str) -> str:
    """One contact, sealed to ``recipient``; a sealed value is returned unchanged."""
    if is_sealed(plain):
        return plain
    data = pyrage.encrypt(plain.encode("utf-8"), [_recipient(recipient)])
    return PREFIX + base64.b64encode(data).decode("ascii")


def seal_bytes(data: bytes, recipient: str) -> bytes:
    """A whole file's bytes as an age file (readable by ``age -d``)."""
    return pyrage.encrypt(data, [_recipient(recipient)])


def _recipient(text: str) -> x25519.Recipient:
    try:
        return x25519.Recipient.from_str(text.strip())
    except Exception:  # pyrage raises its own RecipientError / ValueError
        raise FloorError(
            f"{text!r} is not an age public key (age1…); 'floor keys init' makes one", field=SETTING
        ) from None


def generate() -> tuple[str, str]:
    """A new key pair: (the key file's text, the public key)."""
    identity = x25519.Identity.generate()
    public = str(identity.to_public())
    created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    text = f"# created: {created}\n# public key: {public}\n{identity}\n"
    return text, public


def identities_in(text: str) -> list[x25519.Identity]:
    """Every private key in a key file's text (comments and retired keys allowed)."""
    found = []
    for line in text.splitlines():
        line = line.strip()
        if _SECRET_LINE.match(line):
            try:
                found.append(x25519.Identity.from_str(line))
            except Exception:
                raise FloorError("a line that looks like an age key does not parse", field=ENV_KEY) from None
    return found


def write_key_file(path: Path, text: str) -> None:
    """Atomically, readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, text)
    os.chmod(path, 0o600)


@dataclass
class Keys:
    """The site's public key (to seal) and, when present, its private keys (to open)."""

    root: Path
    recipient: str | None
    env_key: str | None = None

    @property
    def key_file(self) -> Path:
        return self.root / KEY_FILE

    @cached_property
    def identities(self) -> list[x25519.Identity]:
        texts = []
        if self.env_key and self.env_key.strip():
            texts.append(self.env_key)
        if self.key_file.is_file():
            texts.append(self.key_file.read_text(encoding="utf-8"))
        # The same key in both places (FLOOR_AGE_KEY set from the key file, to try the weekly
        # job's build at home) is one key: counted twice, it made another key ring, so every
        # record signed with the file alone read as "made with another private key".
        found: dict[str, x25519.Identity] = {}
        for text in texts:
            for identity in identities_in(text):
                found.setdefault(str(identity), identity)
        return list(found.values())

    @cached_property
    def _ring(self) -> tuple[str, ...]:
        """Which keys opened a cached contact: another key ring never reads the cache."""
        return tuple(sorted(str(identity) for identity in self.identities))

    @property
    def can_open(self) -> bool:
        return bool(self.identities)

    @property
    def ring(self) -> tuple[str, ...]:
        """The private keys as text (secret: only ever a key for a digest, never stored)."""
        return self._ring

    def mac_key(self, purpose: str) -> bytes | None:
        """A secret for authenticating a cache the kit writes (``purpose`` keeps each its own), or
        None without a private key: only the author (the key file, FLOOR_AGE_KEY in CI) can make
        a file this key accepts, so a replaced ``.cache/`` file is refused, never used."""
        if not self.can_open:
            return None
        material = "\n".join(self.ring).encode("utf-8")
        return hashlib.blake2b(material, key=purpose.encode("utf-8")[:64], digest_size=32).digest()

    def seal(self, plain: str | None) -> str | None:
        """Seal for storage; refuses (naming the fix) rather than store plain text."""
        if not plain or is_sealed(plain):
            return plain
        if not self.recipient:
            raise FloorError(NO_RECIPIENT_FIX, field="contact")
        return seal_text(plain, self.recipient)

    def seal_bytes(self, data: bytes) -> bytes:
        if not self.recipient:
            raise FloorError(NO_RECIPIENT_FIX, field="contact")
        return seal_bytes(data, self.recipient)

    def open(self, value: str | None, *, where: object = None) -> str | None:
        """The plain contact; a plain (legacy) value is returned as it is."""
        if not is_sealed(value):
            return value
        assert value is not None
        if not self.can_open:
            raise MissingKey(NO_KEY_FIX, path=where, field="contact")
        cached = _OPENED.get((self._ring, value))
        if cached is not None:
            return cached
        try:
            data = base64.b64decode(value[len(PREFIX) :], validate=True)
        except (binascii.Error, ValueError):
            raise FloorError("a sealed contact is not valid base64", path=where, field="contact") from None
        plain = self.open_bytes(data, where=where).decode("utf-8", errors="replace")
        _OPENED[(self._ring, value)] = plain
        return plain

    def open_bytes(self, data: bytes, *, where: object = None) -> bytes:
        if not self.can_open:
            raise MissingKey(NO_KEY_FIX, path=where, field="contact")
        try:
            return pyrage.decrypt(data, self.identities)
        except Exception:
            raise FloorError(
                "cannot be opened with this site's private key (sealed to another key, or damaged)",
                path=where,
                field="contact",
            ) from None


def keys_for(root: Path, raw_settings: dict) -> Keys:
    recipient = raw_settings.get(SETTING)
    return Keys(
        root=Path(root),
        recipient=str(recipient).strip() if recipient else None,
        env_key=os.environ.get(ENV_KEY),
    )


def keys_near(folders: Iterable[Path]) -> Keys:
    """The private keys for a site known only by its content folders (the build's guard).

    The site root is the nearest folder above them that holds the settings file
    (or the key folder); the guard needs no public key, only what opens.
    """
    for folder in folders:
        for candidate in [Path(folder).resolve(), *Path(folder).resolve().parents]:
            if (candidate / KEY_FILE).is_file() or (candidate / "pelicanconf.py").is_file():
                return Keys(root=candidate, recipient=None, env_key=os.environ.get(ENV_KEY))
    return Keys(root=Path.cwd(), recipient=None, env_key=os.environ.get(ENV_KEY))


def json_mac(data: object, key: bytes) -> str:
    """The keyed digest of a JSON value, for a cache file signed with :meth:`Keys.mac_key`
    (keys sorted, so the same value always gives the same digest)."""
    return bytes_mac(json_body(data), key)


def json_body(data: object) -> bytes:
    """The JSON text :func:`json_mac` signs: a file that stores exactly these bytes can be checked
    by :func:`bytes_mac` without serialising its value again."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogatepass")


def bytes_mac(body: bytes, key: bytes) -> str:
    return mac_stream(key, body).hexdigest()


def mac_stream(key: bytes, body: bytes = b"") -> hashlib.blake2b:
    """The keyed hash :func:`bytes_mac` makes, to be fed piece by piece with ``update()`` (a
    large file signed as it is written, never held whole): its ``hexdigest()`` is the same
    MAC as :func:`bytes_mac` of the pieces joined, always 64 hex digits."""
    return hashlib.blake2b(body, key=key, digest_size=32)
