"""Circulating concept papers and administrative notes: recipients, deliveries, sending
each delivery once, answers. The delivery guarantee is explained in docs/adr/0005.
"""

import smtplib
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from forums.mail import absolute_url, outbox_claim, outbox_reclaim, outbox_settle, render_text
from members.enums import MembershipStatus
from members.models import FocalPoint, StateContact
from secretariat.enums import AnswerChannel, DeliveryStatus, DocumentType, PaperStatus
from secretariat.models import Answer, Circulation, ConceptPaper, Delivery
from secretariat.recipients import Recipient
from secretariat.services.documents import document_render

ANSWER_SALT = "secretariat.answer"
ANSWER_LINK_MAX_AGE = timedelta(days=365)


class Outcome:
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    SKIPPED = "skipped"

    def __init__(self, status: str, retry_in: int = 0):
        self.status = status
        self.retry_in = retry_in

    def __repr__(self) -> str:
        return f"Outcome({self.status!r}, retry_in={self.retry_in})"


def circulation_default_recipients(*, paper: ConceptPaper) -> list[Recipient]:
    """Every focal point of every admitted member of the paper's forum, then every active
    member-state contact the forum keeps; one entry per address."""
    focal_points = (
        FocalPoint.objects.filter(
            forum_id=paper.forum_id,
            contact__is_active=True,
            contact__institute__memberships__forum_id=paper.forum_id,
            contact__institute__memberships__status=MembershipStatus.ADMITTED,
        )
        .exclude(contact__email="")
        .select_related("contact__institute")
        .order_by("contact__institute__name", "contact__full_name")
    )
    recipients = [
        Recipient(
            email=fp.contact.email,
            name=fp.contact.full_name,
            organisation=fp.contact.institute.name,
            contact_id=fp.contact_id,
            institute_id=fp.contact.institute_id,
        )
        for fp in focal_points
    ]
    state_contacts = StateContact.objects.filter(forum_id=paper.forum_id, is_active=True)
    recipients += [
        Recipient(email=sc.email, name=sc.full_name, organisation=sc.organisation)
        for sc in state_contacts.order_by("country", "organisation")
    ]
    return _unique(recipients)


def _unique(recipients: Iterable[Recipient]) -> list[Recipient]:
    seen: set[str] = set()
    unique = []
    for recipient in recipients:
        key = recipient.email.strip().lower()
        if key and key not in seen:
            seen.add(key)
            unique.append(recipient)
    return unique


def _enqueue_on_commit(delivery_ids: list[int]) -> None:
    from secretariat.tasks import deliver

    def enqueue() -> None:
        for pk in delivery_ids:
            deliver.delay(pk)

    transaction.on_commit(enqueue)


def circulation_start(
    *,
    paper: ConceptPaper,
    recipients: Iterable[Recipient],
    subject: str,
    message: str = "",
    by,
) -> Circulation:
    """Creates the circulation and one queued delivery per distinct address, marks the paper
    circulated, and — only once all of it is committed — hands the deliveries to the
    workers. Sends nothing itself. A paper whose PDF is missing or outdated is rendered
    first, so every recipient gets the version that was circulated."""
    recipients = _unique(recipients)
    if not recipients:
        raise ValueError("A circulation needs at least one recipient.")
    if not paper.has_current_pdf:
        document_render(document_type=DocumentType.CONCEPT_PAPER, object_id=paper.pk)
        paper.refresh_from_db()
        if not paper.has_current_pdf:
            raise ValueError("The paper's PDF could not be rendered; see its PDF renderings.")
    now = timezone.now()
    with transaction.atomic():
        circulation = Circulation.objects.create(
            paper=paper,
            subject=subject,
            message=message,
            paper_version=paper.version,
            started_at=now,
            created_by=by,
            updated_by=by,
        )
        deliveries = Delivery.objects.bulk_create(
            [
                Delivery(
                    circulation=circulation,
                    email=r.email.strip(),
                    name=r.name,
                    organisation=r.organisation,
                    contact_id=r.contact_id,
                    institute_id=r.institute_id,
                    next_attempt_at=now,
                )
                for r in recipients
            ]
        )
        ConceptPaper.objects.filter(pk=paper.pk).update(status=PaperStatus.CIRCULATED)
        _enqueue_on_commit([d.pk for d in deliveries])
    return circulation


def circulation_resend_failed(*, circulation: Circulation, by) -> int:
    """Queues the failed deliveries of a circulation again (and only those)."""
    with transaction.atomic():
        failed = list(
            circulation.deliveries.filter(status=DeliveryStatus.FAILED).values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=failed, status=DeliveryStatus.FAILED).update(
            status=DeliveryStatus.QUEUED,
            attempts=0,
            last_error="",
            next_attempt_at=timezone.now(),
        )
        Circulation.objects.filter(pk=circulation.pk).update(updated_by=by)
        _enqueue_on_commit(failed)
    return len(failed)


def circulation_progress(*, circulation: Circulation) -> dict[str, int]:
    """Deliveries per status (every status present, zero where none), in one query."""
    counts = dict.fromkeys(DeliveryStatus.values, 0)
    rows = circulation.deliveries.values_list("status").annotate(n=Count("*")).order_by()
    counts.update(dict(rows))
    counts["total"] = sum(counts[s] for s in DeliveryStatus.values)
    return counts


def delivery_claim(*, delivery_id: int) -> Delivery | None:
    """Takes a due, queued delivery for this worker: one conditional UPDATE, committed before
    any mail is sent, so a second worker (or a retried task) finds nothing to claim."""
    if not outbox_claim(Delivery, pk=delivery_id):
        return None
    return _deliveries_with_paper().get(pk=delivery_id)


def _deliveries_with_paper():
    """Deliveries with what their e-mail and answer page show of the paper."""
    return Delivery.objects.select_related(
        "circulation__paper__forum", "circulation__paper__meeting"
    )


def answer_token(*, delivery: Delivery) -> str:
    return signing.dumps({"d": delivery.pk, "c": delivery.circulation_id}, salt=ANSWER_SALT)


def delivery_from_answer_token(token: str) -> Delivery:
    """The delivery a signed answer link is for; ``Delivery.DoesNotExist`` for a forged,
    altered or expired link, or one whose delivery no longer belongs to its circulation."""
    try:
        data = signing.loads(token, salt=ANSWER_SALT, max_age=ANSWER_LINK_MAX_AGE)
        delivery_id, circulation_id = int(data["d"]), int(data["c"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise Delivery.DoesNotExist from exc
    return _deliveries_with_paper().get(pk=delivery_id, circulation_id=circulation_id)


def _body(*, delivery: Delivery, answer_url: str) -> str:
    circulation = delivery.circulation
    return render_text(
        "secretariat/email/circulation.txt",
        {
            "delivery": delivery,
            "circulation": circulation,
            "paper": circulation.paper,
            "answer_url": answer_url,
        },
    )


def _message(delivery: Delivery, *, connection) -> EmailMessage:
    paper = delivery.circulation.paper
    link = absolute_url(
        reverse("secretariat:answer", kwargs={"token": answer_token(delivery=delivery)})
    )
    message = EmailMessage(
        subject=delivery.circulation.subject,
        body=_body(delivery=delivery, answer_url=link),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.email],
        headers={"Message-ID": delivery.message_id},
        connection=connection,
    )
    if paper.pdf:
        with paper.pdf.open("rb") as handle:
            message.attach(f"{paper.kind}-{paper.pk}.pdf", handle.read(), "application/pdf")
    return message


def preview_message(*, paper: ConceptPaper, recipient: Recipient | None) -> str:
    """The e-mail text a recipient will get (with a placeholder answer link)."""
    delivery = Delivery(
        circulation=Circulation(paper=paper, subject="", message=""),
        email=recipient.email if recipient else "",
        name=recipient.name if recipient else "",
        organisation=recipient.organisation if recipient else "",
    )
    return _body(delivery=delivery, answer_url=absolute_url("/answer/…/"))


def delivery_send(*, delivery_id: int, connection=None) -> Outcome:
    """Sends one delivery if it is due and nobody else holds it, and records the result:
    sent; failed with the server's reason on a permanent (5xx) refusal or after the last
    attempt; otherwise queued again with a backoff. A delivery already sent, sending or
    failed is left alone, so running this twice never sends twice."""
    delivery = delivery_claim(delivery_id=delivery_id)
    if delivery is None:
        return Outcome(Outcome.SKIPPED)
    try:
        own_connection = connection is None
        connection = connection or get_connection(fail_silently=False)
        try:
            _message(delivery, connection=connection).send()
        finally:
            if own_connection:
                connection.close()
    except (smtplib.SMTPException, OSError) as exc:
        error = exc
    else:
        error = None
    status, delay = outbox_settle(Delivery, pk=delivery.pk, attempts=delivery.attempts, error=error)
    if status == DeliveryStatus.QUEUED:
        return Outcome(Outcome.RETRY, retry_in=delay)
    return Outcome(Outcome.SENT if status == DeliveryStatus.SENT else Outcome.FAILED)


def deliveries_resume(*, enqueue: Callable[[list[int]], object]) -> int:
    """Run periodically. A delivery left in "sending" longer than the lease belonged to a
    worker that died: it goes back to the queue. Queued deliveries that are due and have
    not moved for a while lost their task message (a worker killed, Redis restarted): they
    are enqueued again. Returns how many were enqueued."""
    outbox_reclaim(Delivery)
    now = timezone.now()
    grace = timedelta(seconds=settings.DELIVERY_RESUME_GRACE_SECONDS)
    due = list(
        Delivery.objects.filter(status=DeliveryStatus.QUEUED, updated_at__lt=now - grace)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .values_list("pk", flat=True)[:5000]
    )
    if due:
        enqueue(due)
    return len(due)


def answer_record(
    *,
    delivery: Delivery,
    attendance: str,
    attendees: str = "",
    remarks: str = "",
    channel: str = AnswerChannel.LINK,
    by=None,
) -> Answer:
    """Records (or replaces) the recipient's answer to the circulated document."""
    defaults = {
        "attendance": attendance,
        "attendees": attendees.strip(),
        "remarks": remarks.strip(),
        "channel": channel,
        "updated_by": by,
    }
    answer, _ = Answer.objects.update_or_create(
        delivery=delivery, defaults=defaults, create_defaults={**defaults, "created_by": by}
    )
    return answer
