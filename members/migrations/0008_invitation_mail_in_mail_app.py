"""An invitation's e-mail is the same outbox row, now filed under the mail app."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('mail', '0001_initial'),
        ('members', '0007_invitation_mail_in_outbox'),
    ]

    operations = [
        # The tables stay as they are: only where Django files the models moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='invitation',
                    name='mail',
                    field=models.OneToOneField(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='invitation', to='mail.outboundmail', verbose_name='e-mail'),
                ),
    
            ],
            database_operations=[],
        ),
    ]
