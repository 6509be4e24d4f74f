"""Jinja's compiled templates on disk, each file authenticated before it is run.

Jinja's ``FileSystemBytecodeCache`` keeps marshalled code objects and runs
them: whoever can replace a file in ``.cache/jinja`` (the weekly job
restores ``.cache/`` from the Actions cache, in a process that holds the
author's key) could run code in the next build. Here each file starts with a
keyed BLAKE2b tag over the template's cache key and the bytecode; a file
whose tag does not verify is treated as missing (the template is compiled
again and the file rewritten). The key comes from the column's private key
(``sealing.Keys.mac_key``), so nobody without it can make a file that passes.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os

from jinja2 import FileSystemBytecodeCache

_TAG = 32  # bytes of the keyed digest at the start of each file


class SignedBytecodeCache(FileSystemBytecodeCache):
    """A FileSystemBytecodeCache whose files carry a keyed tag, checked before Jinja loads them."""

    def __init__(self, directory: str, key: bytes) -> None:
        super().__init__(directory, "__floor_jinja_%s.cache")
        self._key = key

    def _tag(self, name: str, payload: bytes) -> bytes:
        message = name.encode("utf-8") + b"\0" + payload
        return hashlib.blake2b(message, key=self._key, digest_size=_TAG).digest()

    def load_bytecode(self, bucket) -> None:
        try:
            with open(self._get_cache_filename(bucket), "rb") as f:
                data = f.read()
        except OSError:
            return
        tag, payload = data[:_TAG], data[_TAG:]
        if len(tag) == _TAG and hmac.compare_digest(tag, self._tag(bucket.key, payload)):
            bucket.bytecode_from_string(payload)

    def dump_bytecode(self, bucket) -> None:
        payload = bucket.bytecode_to_string()
        name = self._get_cache_filename(bucket)
        tmp = os.path.join(os.path.dirname(name), f".{os.path.basename(name)}.{os.getpid()}.tmp")
        try:
            with open(tmp, "wb") as f:
                f.write(self._tag(bucket.key, payload) + payload)
            os.replace(tmp, name)
        except OSError:  # a read-only cache folder: the template is compiled next time too
            with contextlib.suppress(OSError):
                os.unlink(tmp)
