"""Notices to members: an e-mail kept as an outbox row (``mail.outbox.mail_queue``) in the
caller's transaction, written in the language of the member's contact record
(``Contact.language``; the portal's default when it has none) and sent by a worker after
commit."""

from django.contrib.auth.models import User

from mail.models import OutboundMail
from mail.outbox import mail_queue
from members.models import Contact


def user_mail_language(user: User) -> str:
    """The language a login's e-mails are written in: its contact's, else blank (the
    portal's default)."""
    return Contact.objects.filter(user=user).values_list("language", flat=True).first() or ""


def member_notice_queue(*, user: User | None, template: str, context: dict) -> OutboundMail | None:
    """Queues ``template`` (``<template>_subject.txt`` and ``_body.txt``) for ``user`` in
    their language; None when there is nobody to tell (no login, no address, a login that
    was deactivated)."""
    if user is None or not user.is_active or not user.email:
        return None
    return mail_queue(
        to=user.email, template=template, context=context, language=user_mail_language(user)
    )
