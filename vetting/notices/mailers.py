"""Where mail goes: a real SMTP server, or .eml files in a folder for the embedded mode."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from vetting.models import Notice
from vetting.models.base import utcnow


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None: ...


def build_message(notice: Notice, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = notice.to_address
    message["Subject"] = notice.subject
    message["Message-ID"] = notice.message_id
    message["Date"] = format_datetime(utcnow())
    message["Content-Language"] = notice.language
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(notice.body)
    return message


class SmtpMailer:
    """smtp://[user:password@]host:port, or smtps:// for implicit TLS; smtp+starttls:// too."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.parts = urlsplit(url)
        if self.parts.scheme not in ("smtp", "smtps", "smtp+starttls"):
            raise ValueError(f"unsupported mail URL scheme: {self.parts.scheme!r}")
        self.timeout = timeout

    def send(self, message: EmailMessage) -> None:
        host = self.parts.hostname or "localhost"
        scheme = self.parts.scheme
        port = self.parts.port or (465 if scheme == "smtps" else 25)
        smtp_cls = smtplib.SMTP_SSL if scheme == "smtps" else smtplib.SMTP
        with smtp_cls(host, port, timeout=self.timeout) as smtp:
            if scheme == "smtp+starttls":
                smtp.starttls()
            if self.parts.username:
                smtp.login(unquote(self.parts.username), unquote(self.parts.password or ""))
            smtp.send_message(message)


class FileMailer:
    """Writes each message to <folder>/<timestamp>-<message-id>.eml (the embedded default)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
        safe_id = "".join(c for c in str(message["Message-ID"]) if c.isalnum() or c in "._-")
        path = self.folder / f"{stamp}-{safe_id}.eml"
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(bytes(message))
        tmp.replace(path)


def make_mailer(smtp_url: str | None, mail_dir: str) -> Mailer:
    return SmtpMailer(smtp_url) if smtp_url else FileMailer(mail_dir)
