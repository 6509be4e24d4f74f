"""Sending email over SMTP with the site's FLOOR_SMTP_* settings (environment variables win).

The password belongs in the environment (a CI secret), not in pelicanconf.py,
which is committed: ``FLOOR_SMTP_PASSWORD``. A password is never sent over an
unencrypted connection except to this machine.
"""

from __future__ import annotations

import contextlib
import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any

from ..errors import FloorError

SETTINGS = (
    "FLOOR_SMTP_HOST",
    "FLOOR_SMTP_PORT",
    "FLOOR_SMTP_TLS",
    "FLOOR_SMTP_USER",
    "FLOOR_SMTP_PASSWORD",
    "FLOOR_SMTP_FROM",
    "FLOOR_SMTP_CAFILE",
    "FLOOR_SMTP_TIMEOUT",
)
TLS_MODES = {"starttls": 587, "ssl": 465, "none": 25}
# Where the missing setting goes: the weekly job failed every week a reader who asked to hear
# back was waiting, and its mail to the author named the setting but not where it is set.
WHERE_TO_SET = (
    "for the weekly job, add the repository variables FLOOR_SMTP_HOST and FLOOR_SMTP_FROM "
    "(Settings > Secrets and variables > Actions > Variables) and the secret FLOOR_SMTP_PASSWORD; "
    "on this computer, the first two in pelicanconf.py and the password in the environment "
    "(docs/intake.md, floor notify)"
)
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    tls: str
    user: str | None
    password: str | None
    sender: str
    cafile: str | None
    timeout: float


def _value(raw: dict[str, Any], name: str) -> Any:
    env = os.environ.get(name)
    return env if env not in (None, "") else raw.get(name)


def config(raw: dict[str, Any]) -> SmtpConfig:
    """The SMTP settings, checked; each problem names the setting."""
    host = _value(raw, "FLOOR_SMTP_HOST")
    if not host:
        raise FloorError(
            f"is not set: the SMTP server to send email through; {WHERE_TO_SET}", field="FLOOR_SMTP_HOST"
        )
    tls = str(_value(raw, "FLOOR_SMTP_TLS") or "starttls").strip().lower()
    if tls not in TLS_MODES:
        raise FloorError(f"{tls!r} must be starttls, ssl or none", field="FLOOR_SMTP_TLS")
    port_value = _value(raw, "FLOOR_SMTP_PORT") or TLS_MODES[tls]
    try:
        port = int(port_value)
        if not 0 < port < 65536:
            raise ValueError
    except (TypeError, ValueError):
        raise FloorError(f"{port_value!r} is not a port number", field="FLOOR_SMTP_PORT") from None
    sender = str(_value(raw, "FLOOR_SMTP_FROM") or "")
    if not sender.strip():
        raise FloorError(
            f"is not set: the address the notes come from (e.g. 'Robin <robin@example.org>'); {WHERE_TO_SET}",
            field="FLOOR_SMTP_FROM",
        )
    if "@" not in parseaddr(sender)[1]:
        raise FloorError(
            f"{sender!r} is not an address to send from (e.g. 'Robin <robin@example.org>')",
            field="FLOOR_SMTP_FROM",
        )
    user = _value(raw, "FLOOR_SMTP_USER") or None
    password = _value(raw, "FLOOR_SMTP_PASSWORD") or None
    if user and tls == "none" and str(host) not in _LOOPBACK:
        raise FloorError(
            "is none, but a user is set: refusing to send a password unencrypted; use starttls or ssl",
            field="FLOOR_SMTP_TLS",
        )
    timeout_value = _value(raw, "FLOOR_SMTP_TIMEOUT") or 30
    try:
        timeout = float(timeout_value)
    except (TypeError, ValueError):
        raise FloorError(
            f"{timeout_value!r} is not a number of seconds", field="FLOOR_SMTP_TIMEOUT"
        ) from None
    return SmtpConfig(
        host=str(host),
        port=port,
        tls=tls,
        user=str(user) if user else None,
        password=str(password) if password else None,
        sender=sender,
        cafile=str(_value(raw, "FLOOR_SMTP_CAFILE") or "") or None,
        timeout=timeout,
    )


class MailError(Exception):
    """One message could not be sent (the others may still go)."""


class Mailer:
    """One SMTP session for a run of messages; reconnects once if the server hangs up."""

    def __init__(self, cfg: SmtpConfig) -> None:
        self.cfg = cfg
        self._smtp: smtplib.SMTP | None = None
        self._unreachable: MailError | None = None  # a failed connection is not retried per message

    def _context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.cfg.cafile)

    def _connect(self) -> smtplib.SMTP:
        if self._unreachable is not None:
            raise self._unreachable
        cfg = self.cfg
        try:
            if cfg.tls == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    cfg.host, cfg.port, timeout=cfg.timeout, context=self._context()
                )
            else:
                smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout)
                if cfg.tls == "starttls":
                    smtp.starttls(context=self._context())
            if cfg.user:
                smtp.login(cfg.user, cfg.password or "")
        except (smtplib.SMTPException, OSError) as exc:
            self._unreachable = MailError(f"cannot connect to {cfg.host}:{cfg.port} ({cfg.tls}): {exc}")
            raise self._unreachable from None
        return smtp

    def send(self, message: EmailMessage, to: str | None = None) -> None:
        """Send ``message`` to ``to`` (the envelope's one recipient), or to the addresses its
        headers name when ``to`` is None; a header that holds a reader's text should not decide
        where the mail goes."""
        for attempt in (1, 2):
            if self._smtp is None:
                self._smtp = self._connect()
            try:
                refused = self._smtp.send_message(message, to_addrs=[to] if to else None)
            except smtplib.SMTPServerDisconnected as exc:
                self._smtp = None
                if attempt == 2:
                    raise MailError(f"the server hung up: {exc}") from None
                continue
            except (smtplib.SMTPException, OSError) as exc:
                raise MailError(str(exc)) from None
            if refused:
                raise MailError(f"refused: {refused}")
            return

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()
            self._smtp = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def reaches_by_email(contact: str | None) -> bool:
    """Whether `floor notify` would write to this contact by email (a GitHub issue is answered
    on the issue, which needs no mail server)."""
    from ..core import contact_recogniser

    return bool(contact) and bool(contact_recogniser.emails_in_field(contact or ""))


def unsent_note(raw: dict[str, Any], readers: int) -> str | None:
    """One line for an author taking in ``readers`` who asked to hear back by email while no mail
    server is set here: said when they arrive rather than on the weekly job's first red run after
    their answer goes out. The settings may be the repository's variables (unseen here), so it is
    a note, never an error; it names no reader and no address."""
    if readers < 1 or _value(raw, "FLOOR_SMTP_HOST"):
        return None
    who = "this reader asked" if readers == 1 else f"these {readers} readers asked"
    return (
        f"note: {who} to hear by email when the answer is up; no mail server is set up here "
        "(FLOOR_SMTP_HOST), so `floor notify` can tell them only once the mail settings are set up: "
        f"{WHERE_TO_SET}"
    )
