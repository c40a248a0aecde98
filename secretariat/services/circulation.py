"""Circulating concept papers and administrative notes: recipients, deliveries, sending
each delivery once, answers. The delivery guarantee is explained in docs/adr/0005.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.jobs import enqueue, enqueue_on_commit
from core.urls import absolute_url
from core.workflow import TransitionNotAllowed, transition
from documents.enums import DocumentType
from documents.services import document_render
from mail.outbox import (
    Claim,
    outbox_claim,
    outbox_due_again,
    outbox_reclaim,
    outbox_requeue_failed,
    outbox_settle,
    render_text,
)
from members.enums import MembershipStatus
from members.models import FocalPoint, StateContact
from secretariat.enums import (
    AnswerChannel,
    CirculationStatus,
    DeliveryStatus,
    PaperStatus,
)
from secretariat.models import Answer, Circulation, ConceptPaper, Delivery, DeliveryAttempt
from secretariat.recipients import Recipient
from secretariat.selectors import circulated_pdf

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
    """Hands the deliveries to the workers once the transaction commits. A broker that is
    down is logged, not raised: the rows are committed, and the periodic resume sends them."""

    def enqueue_all() -> None:
        for pk in delivery_ids:
            enqueue("secretariat.deliver", pk)

    transaction.on_commit(enqueue_all, robust=True)


def _prepare_on_commit(circulation_id: int) -> None:
    enqueue_on_commit("secretariat.prepare_circulation", circulation_id)


def paper_mark_ready(*, conceptpaper: ConceptPaper, by: User) -> ConceptPaper:
    """A drafted paper is ready to circulate (a mark for the secretariat's own planning)."""
    return transition(conceptpaper, to=PaperStatus.READY, by=by)


def paper_reopen(*, conceptpaper: ConceptPaper, by: User) -> ConceptPaper:
    """A paper marked ready goes back to draft."""
    return transition(conceptpaper, to=PaperStatus.DRAFT, by=by)


def circulation_subject_check(subject: str) -> str:
    """The subject as it will be sent: one line, not empty. Raises ValidationError."""
    subject = subject.strip()
    if not subject:
        raise ValidationError(_("A circulation needs a subject."), code="subject")
    if any(c in subject for c in "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"):
        raise ValidationError(_("The subject must be a single line."), code="subject")
    return subject


class CirculationAlreadyStarted(Exception):
    """The same form (its one-time token) already started a circulation: ``circulation``."""

    def __init__(self, circulation: Circulation):
        super().__init__(f"already started as circulation {circulation.pk}")
        self.circulation = circulation


def circulation_of_request(*, paper: ConceptPaper, request_token: str | None) -> Circulation | None:
    """The circulation of this paper a form's one-time token already started, if any."""
    if not request_token:
        return None
    return Circulation.objects.filter(paper=paper, request_token=request_token).first()


def circulation_of_version(*, paper: ConceptPaper) -> Circulation | None:
    """The latest circulation of the paper's current version, if it was circulated."""
    return (
        Circulation.objects.filter(paper=paper, paper_version=paper.version)
        .order_by("-started_at", "-pk")
        .first()
    )


def circulation_start(
    *,
    paper: ConceptPaper,
    recipients: Iterable[Recipient],
    subject: str,
    message: str = "",
    by: User,
    request_token: str | None = None,
    again: bool = False,
) -> Circulation:
    """Creates the circulation ("preparing") and one queued delivery per distinct address,
    marks the paper circulated, and once all of it is committed asks a worker to prepare
    the document (``circulation_prepare``), after which the deliveries go out. Renders and
    sends nothing itself, so it is quick whatever the paper.

    Idempotent: ``request_token`` (the form's one-time token) starts one circulation at
    most, a second call raising ``CirculationAlreadyStarted`` with it; and the paper's
    current version, once circulated, is sent again only with ``again`` (ValidationError
    otherwise), checked under the paper's row lock so two staff sending at once cannot
    both pass. A broker that cannot take the job is logged, not raised: the periodic
    resume prepares it. Raises ValidationError for an empty or multi-line subject,
    ValueError without recipients."""
    subject = circulation_subject_check(subject)
    recipients = _unique(recipients)
    if not recipients:
        raise ValueError("A circulation needs at least one recipient.")
    now = timezone.now()
    try:
        with transaction.atomic():
            paper = ConceptPaper.objects.select_for_update().get(pk=paper.pk)
            if request_token:
                earlier = Circulation.objects.filter(request_token=request_token).first()
                if earlier is not None:
                    raise CirculationAlreadyStarted(earlier)
            if not again and circulation_of_version(paper=paper) is not None:
                raise ValidationError(
                    _("This version of the paper was already circulated."), code="circulated"
                )
            if paper.status != PaperStatus.CIRCULATED:
                paper = transition(paper, to=PaperStatus.CIRCULATED, by=by)
            circulation = Circulation.objects.create(
                paper=paper,
                subject=subject,
                message=message,
                paper_version=paper.version,
                started_at=now,
                request_token=request_token or None,
                created_by=by,
                updated_by=by,
            )
            Delivery.objects.bulk_create(
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
            _prepare_on_commit(circulation.pk)
    except IntegrityError:
        earlier = Circulation.objects.filter(request_token=request_token).first()
        if request_token and earlier is not None:  # the other submit won the race
            raise CirculationAlreadyStarted(earlier) from None
        raise
    return circulation


def circulation_prepare(*, circulation_id: int) -> Circulation | None:
    """Run by a worker. Gives a preparing circulation the PDF its recipients get: the
    paper's own PDF if it is of the paper's current version, else the paper rendered now.
    Then the circulation is ready and its deliveries are handed to the workers; a paper
    that cannot be rendered makes it failed, with the reason, and nothing is sent. Safe to
    run twice: only a preparing circulation is prepared. Returns it, or None."""
    circulation = Circulation.objects.select_related("paper").filter(pk=circulation_id).first()
    if circulation is None or circulation.status != CirculationStatus.PREPARING:
        return None
    paper = circulation.paper
    if not paper.has_current_pdf:
        job = document_render(document_type=DocumentType.CONCEPT_PAPER, object_id=paper.pk)
        paper.refresh_from_db()
        if not paper.has_current_pdf:
            reason = job.error or _("The paper changed while it was rendered; try again.")
            return transition(circulation, to=CirculationStatus.FAILED, by=None, error=reason)
    with paper.pdf.open("rb") as handle:
        pdf = handle.read()
    name = f"{slugify(paper.title)[:80] or 'document'}-v{paper.pdf_version}.pdf"
    stored = circulation.pdf.storage.save(
        circulation.pdf.field.generate_filename(circulation, name), ContentFile(pdf)
    )
    try:
        with transaction.atomic():
            circulation = transition(
                circulation,
                to=CirculationStatus.READY,
                by=None,
                pdf=stored,
                error="",
                paper_version=paper.pdf_version,
            )
            due = list(
                circulation.deliveries.filter(status=DeliveryStatus.QUEUED).values_list(
                    "pk", flat=True
                )
            )
            _enqueue_on_commit(due)
    except TransitionNotAllowed:
        circulation.pdf.storage.delete(stored)  # another worker prepared it meanwhile
        return None
    return circulation


def circulation_retry(*, circulation: Circulation, by: User) -> Circulation:
    """A circulation whose document could not be prepared is prepared again (after the
    paper was corrected). Raises ``TransitionNotAllowed`` for any other."""
    with transaction.atomic():
        circulation = transition(circulation, to=CirculationStatus.PREPARING, by=by, error="")
        _prepare_on_commit(circulation.pk)
    return circulation


def circulation_resend_failed(*, circulation: Circulation, by: User) -> int:
    """Queues the failed deliveries of a circulation again for a new round of attempts
    (and only those), keeping what happened to them before. The failed rows are locked
    while they are taken, so two staff pressing "send again" at once queue each row once;
    the second is told there was nothing left to send again. Returns how many."""
    with transaction.atomic():
        failed = list(
            circulation.deliveries.filter(status=DeliveryStatus.FAILED)
            .select_for_update()
            .values_list("pk", flat=True)
        )
        requeued = outbox_requeue_failed(Delivery, ids=failed)
        Circulation.objects.filter(pk=circulation.pk).update(updated_by=by)
        _enqueue_on_commit(failed)
    return requeued


def circulation_progress(*, circulation: Circulation) -> dict[str, int]:
    """Deliveries per status (every status present, zero where none), in one query."""
    counts = dict.fromkeys(DeliveryStatus.values, 0)
    rows = circulation.deliveries.values_list("status").annotate(n=Count("*")).order_by()
    counts.update(dict(rows))
    counts["total"] = sum(counts[s] for s in DeliveryStatus.values)
    return counts


@dataclass(frozen=True)
class CirculationHealth:
    """What staff need to know of a circulation beyond its counts: how many deliveries
    wait for a later attempt and when the next is, whether work has stalled (due for a
    while and nobody took it: no worker, or the queue lost it), and how many recipients
    may have two copies (an attempt after one whose outcome the mail server never told)."""

    waiting: int
    next_attempt_at: datetime.datetime | None
    stalled: int
    duplicate_suspects: int


def circulation_health(*, circulation: Circulation) -> CirculationHealth:
    """One query over the circulation's deliveries and one over their attempt log."""
    now = timezone.now()
    stall = now - timedelta(seconds=settings.DELIVERY_STALL_SECONDS)
    queued = Q(status=DeliveryStatus.QUEUED)
    figures = circulation.deliveries.aggregate(
        waiting=Count("pk", filter=queued & Q(next_attempt_at__gt=now)),
        next_at=Min("next_attempt_at", filter=queued & Q(next_attempt_at__gt=now)),
        stalled=Count(
            "pk",
            filter=(queued & Q(next_attempt_at__lte=stall))
            | Q(status=DeliveryStatus.SENDING, claimed_at__lte=stall),
        ),
    )
    suspects = (
        DeliveryAttempt.objects.filter(row__circulation=circulation, duplicate_suspect=True)
        .values("row_id")
        .distinct()
        .count()
    )
    return CirculationHealth(
        waiting=figures["waiting"],
        next_attempt_at=figures["next_at"],
        stalled=figures["stalled"],
        duplicate_suspects=suspects,
    )


def delivery_claim(*, delivery_id: int) -> tuple[Delivery, Claim] | None:
    """Takes a due, queued delivery for this worker (``outbox_claim``: its own claim token,
    committed before any mail is sent), so a second worker (or a retried task) finds
    nothing to claim. Returns the delivery and the claim, or None."""
    claim = outbox_claim(Delivery, pk=delivery_id)
    if claim is None:
        return None
    return _deliveries_with_paper().get(pk=delivery_id), claim


def _deliveries_with_paper() -> QuerySet[Delivery]:
    """Deliveries with what their e-mail and answer page show of the paper."""
    return Delivery.objects.select_related(
        "circulation__paper__forum", "circulation__paper__meeting", "contact"
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
    """The message's text, around the secretariat's own words, in the language of the
    recipient's contact record (the portal's default for an address without one)."""
    circulation = delivery.circulation
    contact = delivery.contact if delivery.contact_id else None
    return render_text(
        "secretariat/email/circulation.txt",
        {
            "delivery": delivery,
            "circulation": circulation,
            "paper": circulation.paper,
            "answer_url": answer_url,
        },
        language=contact.language if contact else "",
    )


def _message(delivery: Delivery, *, connection: BaseEmailBackend) -> EmailMessage:
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
    pdf = circulated_pdf(circulation=delivery.circulation)
    if pdf is not None:
        with pdf.open("rb") as handle:
            # Named as kept: by the paper's reference or title and version, never an id.
            message.attach(PurePosixPath(str(pdf.name)).name, handle.read(), "application/pdf")
    return message


def preview_message(
    *, paper: ConceptPaper, recipient: Recipient | None, subject: str = "", message: str = ""
) -> str:
    """The e-mail a recipient will get: its subject line, then its text with the covering
    ``message`` (and a placeholder answer link)."""
    delivery = Delivery(
        circulation=Circulation(paper=paper, subject=subject, message=message),
        email=recipient.email if recipient else "",
        name=recipient.name if recipient else "",
        organisation=recipient.organisation if recipient else "",
    )
    body = _body(delivery=delivery, answer_url=absolute_url("/answer/…/"))
    with translation.override(settings.LANGUAGE_CODE):  # the e-mail's own language
        heading = _("Subject: %(subject)s") % {"subject": subject}
    return f"{heading}\n\n{body}"


def delivery_send(*, delivery_id: int, connection: BaseEmailBackend | None = None) -> Outcome:
    """Sends one delivery if its circulation is ready, it is due and nobody else holds it,
    and records the result: sent; failed with the server's reason on a permanent (5xx)
    refusal, after the last attempt, or when the message cannot be made at all; otherwise
    queued again with a backoff. A delivery already sent, sending or failed, or of a
    circulation still preparing its document, is left alone, so running this twice never
    sends twice."""
    ready = Delivery.objects.filter(
        pk=delivery_id, circulation__status=CirculationStatus.READY
    ).exists()
    if not ready:
        return Outcome(Outcome.SKIPPED)
    claimed = delivery_claim(delivery_id=delivery_id)
    if claimed is None:
        return Outcome(Outcome.SKIPPED)
    delivery, claim = claimed
    error = None
    try:
        own_connection = connection is None
        connection = connection or get_connection(fail_silently=False)
        try:
            _message(delivery, connection=connection).send()
        finally:
            if own_connection:
                connection.close()
    except Exception as exc:  # settled, whatever it was: a claimed row never stays "sending"
        error = exc
    status, delay = outbox_settle(Delivery, claim=claim, error=error)
    if status == DeliveryStatus.QUEUED:
        return Outcome(Outcome.RETRY, retry_in=delay)
    return Outcome(Outcome.SENT if status == DeliveryStatus.SENT else Outcome.FAILED)


def deliveries_resume() -> int:
    """Run periodically (on its own queue: never behind a backlog). A delivery left in
    "sending" longer than the lease belonged to a worker that died or hangs: it goes back to
    the queue (``outbox_reclaim``). Queued deliveries of ready circulations that have been
    due for a while lost their task message (a worker killed, Redis restarted): they are
    enqueued again; so is the preparation of a circulation still preparing after that
    while. Returns how many deliveries were enqueued."""
    reclaimed = outbox_reclaim(Delivery)
    now = timezone.now()
    grace = timedelta(seconds=settings.DELIVERY_RESUME_GRACE_SECONDS)
    with transaction.atomic():
        stuck = list(
            Circulation.objects.filter(
                status=CirculationStatus.PREPARING, updated_at__lt=now - grace
            )
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        # Handed back now: the next run leaves them to this one for another grace period.
        Circulation.objects.filter(pk__in=stuck).update(updated_at=now)
    for circulation_id in stuck:
        enqueue("secretariat.prepare_circulation", circulation_id)
    due = reclaimed + outbox_due_again(
        Delivery, extra=Q(circulation__status=CirculationStatus.READY)
    )
    for pk in due:
        enqueue("secretariat.deliver", pk)
    return len(due)


def answer_record(
    *,
    delivery: Delivery,
    attendance: str,
    attendees: str = "",
    remarks: str = "",
    channel: str = AnswerChannel.LINK,
    by: User | None = None,
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
