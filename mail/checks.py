"""Start-up checks of settings whose combinations would break a guarantee."""

import math

from django.conf import settings
from django.core.checks import Error, register

from mail.outbox import SETTLE_RETRY_WAITS

# A send may take one timeout to connect and one for each SMTP command (EHLO, STARTTLS,
# AUTH, MAIL, RCPT, DATA and the message's end): a lease shorter than that lets a slow but
# living sender's row be taken over and sent a second time. Recording the outcome may then
# take the settle step's retries, when the database connection was lost.
SMTP_STEPS = 8
SETTLE_SECONDS = math.ceil(sum(SETTLE_RETRY_WAITS))


def shortest_lease(email_timeout: int) -> int:
    return SMTP_STEPS * email_timeout + SETTLE_SECONDS


@register()
def lease_outlasts_a_send(app_configs, **kwargs):
    lease, timeout = settings.DELIVERY_LEASE_SECONDS, settings.EMAIL_TIMEOUT
    shortest = shortest_lease(timeout)
    if lease < shortest:
        return [
            Error(
                f"DELIVERY_LEASE_SECONDS ({lease}) is shorter than a send may take "
                f"({SMTP_STEPS} × EMAIL_TIMEOUT + {SETTLE_SECONDS} s to record it = "
                f"{shortest}): a slow sender's e-mail would be sent again by another.",
                hint=f"Set DELIVERY_LEASE_SECONDS to at least {shortest}, or lower EMAIL_TIMEOUT.",
                id="mail.E001",
            )
        ]
    return []
