"""The notice outbox in the admin: superusers only (no notice is any one secretariat's)."""

from django.contrib import admin, messages
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.jobs import enqueue_on_commit
from mail.enums import MailStatus
from mail.models import OutboundMail, OutboundMailAttempt
from mail.outbox import outbox_requeue_failed


class OutboundMailAttemptInline(admin.TabularInline):
    """Every attempt, never wiped: when, how it ended, the server's reply."""

    model = OutboundMailAttempt
    fields = ("number", "started_at", "finished_at", "outcome", "reply", "duplicate_suspect")
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OutboundMail)
class OutboundMailAdmin(admin.ModelAdmin):
    """The notices the portal sent or still owes (superusers only: they are not any one
    secretariat's). Read-only; failed ones can be queued again."""

    list_display = ("created_at", "to", "subject", "status", "attempts", "sent_at")
    list_filter = ("status", "template", ("created_at", admin.DateFieldListFilter))
    search_fields = ("to", "subject", "message_id")
    date_hierarchy = "created_at"
    readonly_fields = [
        *(f.name for f in OutboundMail._meta.fields if f.name not in ("body", "claim_token")),
        "text",
    ]
    inlines = [OutboundMailAttemptInline]
    actions = ["send_again"]

    @admin.display(description=_("text"))
    def text(self, obj):
        """An invitation's text holds its one-time link: nobody reads it here."""
        if obj is None or obj.erase_body_when_done:
            return gettext("(not shown: it holds a one-time link)")
        return obj.body

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Send the selected failed notices again"))
    def send_again(self, request, queryset):
        ids = list(queryset.filter(status=MailStatus.FAILED).values_list("pk", flat=True))
        requeued = outbox_requeue_failed(OutboundMail, ids=ids)
        for pk in ids:
            enqueue_on_commit("forums.send_outbound_mail", pk)
        self.message_user(
            request,
            ngettext("%(n)d notice queued again.", "%(n)d notices queued again.", requeued)
            % {"n": requeued},
            messages.SUCCESS,
        )
