"""One way to send the portal's templated notices (invitations, change notices, return
reasons): rendered in the site's default language, a Message-ID of our own domain, and
the SMTP error returned rather than raised, so the caller records or logs it."""

import smtplib
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def templated_mail_send(*, to: str, template: str, context: dict) -> str:
    """Sends ``<template>_subject.txt`` / ``<template>_body.txt`` to one address. Returns
    "" when the server accepted it, else the error."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Message-ID": make_msgid(domain=settings.MESSAGE_ID_DOMAIN)},
    )
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as exc:
        return f"{type(exc).__name__}: {exc}"[:1000]
    return ""
