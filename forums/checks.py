"""Start-up checks of settings whose combinations would break a guarantee."""

from django.conf import settings
from django.core.checks import Error, register

# A send may take one timeout to connect and one for each SMTP command (EHLO, STARTTLS,
# AUTH, MAIL, RCPT, DATA and the message's end): a lease shorter than that lets a slow but
# living sender's row be taken over and sent a second time.
SMTP_STEPS = 8


@register()
def lease_outlasts_a_send(app_configs, **kwargs):
    lease, timeout = settings.DELIVERY_LEASE_SECONDS, settings.EMAIL_TIMEOUT
    if lease < SMTP_STEPS * timeout:
        return [
            Error(
                f"DELIVERY_LEASE_SECONDS ({lease}) is shorter than a send may take "
                f"({SMTP_STEPS} × EMAIL_TIMEOUT = {SMTP_STEPS * timeout}): a slow sender's "
                "e-mail would be sent again by another.",
                hint=f"Set DELIVERY_LEASE_SECONDS to at least {SMTP_STEPS * timeout}, or "
                "lower EMAIL_TIMEOUT.",
                id="forums.E001",
            )
        ]
    return []
