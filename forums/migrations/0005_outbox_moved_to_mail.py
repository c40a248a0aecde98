"""The outbox is filed under the mail app now (mail 0001): the forums app forgets it; its tables stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('forums', '0004_outbox_claims_and_attempts'),
        ('members', '0008_invitation_mail_in_mail_app'),
    ]

    operations = [
        # The tables stay as they are: only where Django files the models moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='outboundmailattempt',
                    name='row',
                ),
                migrations.DeleteModel(
                    name='OutboundMail',
                ),
                migrations.DeleteModel(
                    name='OutboundMailAttempt',
                ),
    
            ],
            database_operations=[],
        ),
    ]
