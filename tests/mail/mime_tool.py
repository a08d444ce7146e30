#!/usr/bin/env python3
"""Python's own email package on the other side of sealpost's mail layer.

Builds PGP/MIME structures the way other clients do (so that sealpost
must read them) and parses sealpost's output into a JSON description (so
that a test can check the structure another MIME implementation sees).

  mime_tool.py inner TEXT_FILE ATTACHMENT_FILE     -> MIME entity (CRLF)
  mime_tool.py encrypted FROM TO SUBJECT ASC_FILE  -> multipart/encrypted
  mime_tool.py signed FROM TO SUBJECT PART SIG     -> multipart/signed
  mime_tool.py describe < message                  -> JSON
  mime_tool.py signed-part < message               -> the signed part's raw bytes
  mime_tool.py signature < message                 -> the signature part's payload
  mime_tool.py encrypted-payload < message         -> the armored OpenPGP message
"""
import hashlib
import json
import re
import sys
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

CRLF = policy.SMTP  # CRLF line endings, as on the wire


def out(data: bytes) -> None:
    sys.stdout.buffer.write(data)


def inner(text_file: str, attachment_file: str) -> None:
    with open(text_file, encoding="utf-8") as f:
        text = f.read()
    with open(attachment_file, "rb") as f:
        blob = f.read()
    mixed = MIMEMultipart("mixed")
    mixed.attach(MIMEText(text, "plain", "utf-8"))
    att = MIMEApplication(blob, "octet-stream")
    att.add_header("Content-Disposition", "attachment", filename="data.bin")
    mixed.attach(att)
    out(mixed.as_bytes(policy=CRLF))


def headers(msg, frm: str, to: str, subject: str) -> None:
    msg["From"] = frm
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = "Sat, 28 Nov 2026 12:00:00 +0000"
    msg["Message-ID"] = "<python-built@example.org>"


def encrypted(frm: str, to: str, subject: str, asc_file: str) -> None:
    with open(asc_file, "rb") as f:
        armored = f.read()
    msg = MIMEMultipart("encrypted", protocol="application/pgp-encrypted")
    headers(msg, frm, to, subject)
    control = MIMEApplication(b"Version: 1\r\n", "pgp-encrypted", _encoder=lambda m: None)
    msg.attach(control)
    data = MIMEApplication(armored, "octet-stream", _encoder=lambda m: None)
    data.add_header("Content-Disposition", "inline", filename="encrypted.asc")
    msg.attach(data)
    out(msg.as_bytes(policy=CRLF))


def signed(frm: str, to: str, subject: str, part_file: str, sig_file: str) -> None:
    # The signed part goes in byte for byte: re-serializing it would change
    # what the signature covers.
    with open(part_file, "rb") as f:
        part = f.read()
    with open(sig_file, "rb") as f:
        sig = f.read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    boundary = "python-signed-boundary-42"
    # Only the header section comes from the email package (a multipart
    # without a payload would serialize as an empty one).
    head = EmailMessage(policy=CRLF)
    headers(head, frm, to, subject)
    head["MIME-Version"] = "1.0"
    head.set_payload("")
    head_bytes = head.as_bytes().split(b"\r\n\r\n", 1)[0] + b"\r\n"
    head_bytes += (
        b'Content-Type: multipart/signed; micalg="pgp-sha256";\r\n'
        b' protocol="application/pgp-signature"; boundary="' + boundary.encode() + b'"\r\n\r\n'
    )
    b = boundary.encode()
    out(
        head_bytes
        + b"--" + b + b"\r\n" + part + b"\r\n--" + b + b"\r\n"
        + b"Content-Type: application/pgp-signature; name=\"signature.asc\"\r\n\r\n"
        + sig + b"\r\n--" + b + b"--\r\n"
    )


def describe_part(p):
    d = {
        "contentType": p.get_content_type(),
        "params": {k: v for k, v in p.get_params() or []},
        "headers": {k: str(v) for k, v in p.items() if not k.lower().startswith("content-")},
        "headerList": [[k, str(v)] for k, v in p.items()],
    }
    if p.is_multipart():
        d["parts"] = [describe_part(c) for c in p.iter_parts()]
    else:
        payload = p.get_payload(decode=True) or b""
        d["sha256"] = hashlib.sha256(payload).hexdigest()
        d["filename"] = p.get_filename()
        if p.get_content_maintype() == "text":
            d["text"] = payload.decode(p.get_content_charset() or "us-ascii")
    return d


def describe() -> None:
    msg = message_from_bytes(sys.stdin.buffer.read(), policy=policy.default)
    print(json.dumps(describe_part(msg), ensure_ascii=False))


def raw_parts(data: bytes):
    msg = message_from_bytes(data, policy=policy.default)
    boundary = msg.get_boundary().encode()
    body = data.split(b"\r\n\r\n", 1)[1]
    delim = re.compile(rb"(?:^|\r\n)--" + re.escape(boundary) + rb"(--)?[ \t]*(?=\r\n|$)")
    pieces = delim.split(body)
    # split() returns text, close-flag, text, ...: keep the parts between delimiters.
    parts = [pieces[i] for i in range(2, len(pieces) - 2, 2)]
    return [p[2:] if p.startswith(b"\r\n") else p for p in parts]


def main() -> None:
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "inner":
        inner(*args)
    elif cmd == "encrypted":
        encrypted(*args)
    elif cmd == "signed":
        signed(*args)
    elif cmd == "describe":
        describe()
    elif cmd == "signed-part":
        out(raw_parts(sys.stdin.buffer.read())[0])
    elif cmd == "signature":
        msg = message_from_bytes(sys.stdin.buffer.read(), policy=policy.default)
        out(list(msg.iter_parts())[1].get_payload(decode=True))
    elif cmd == "encrypted-payload":
        msg = message_from_bytes(sys.stdin.buffer.read(), policy=policy.default)
        out(list(msg.iter_parts())[1].get_payload(decode=True))
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
