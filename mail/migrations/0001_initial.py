"""The outbox moves from the forums app to its own: its two tables keep their names."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('forums', '0004_outbox_claims_and_attempts'),
    ]

    operations = [
        # The tables stay as they are: only where Django files the models moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='OutboundMail',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('to', models.EmailField(max_length=254, verbose_name='to')),
                        ('subject', models.CharField(max_length=300, verbose_name='subject')),
                        ('body', models.TextField(verbose_name='body')),
                        ('template', models.CharField(max_length=120, verbose_name='kind')),
                        ('message_id', models.CharField(max_length=255, unique=True, verbose_name='Message-ID')),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('sending', 'Sending'), ('sent', 'Sent'), ('failed', 'Failed')], default='queued', max_length=10, verbose_name='status')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                        ('last_error', models.TextField(blank=True, verbose_name='last error')),
                        ('next_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='next attempt')),
                        ('claimed_at', models.DateTimeField(blank=True, null=True, verbose_name='claimed')),
                        ('claim_token', models.CharField(blank=True, editable=False, max_length=32, verbose_name='claim')),
                        ('erase_body_when_done', models.BooleanField(default=False, verbose_name='erase the text once sent')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent')),
                    ],
                    options={
                        'verbose_name': 'outgoing notice',
                        'verbose_name_plural': 'outgoing notices',
                        'db_table': 'forums_outboundmail',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['status', 'next_attempt_at'], name='outbound_mail_due')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('status__in', ['queued', 'sending', 'sent', 'failed'])), name='outbound_mail_status_valid')],
                    },
                ),
                migrations.CreateModel(
                    name='OutboundMailAttempt',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.PositiveSmallIntegerField(verbose_name='attempt')),
                        ('started_at', models.DateTimeField(verbose_name='started')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                        ('outcome', models.CharField(choices=[('sending', 'Sending'), ('sent', 'Accepted by the mail server'), ('temporary', 'Not accepted yet (temporary)'), ('refused', 'Refused (permanent)'), ('unknown', "Unknown: the connection ended before the server's answer"), ('error', 'The message could not be made')], default='sending', max_length=10, verbose_name='outcome')),
                        ('reply', models.TextField(blank=True, verbose_name='reply')),
                        ('duplicate_suspect', models.BooleanField(default=False, verbose_name='may be a second copy')),
                        ('row', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='attempt_log', to='mail.outboundmail')),
                    ],
                    options={
                        'verbose_name': 'attempt',
                        'verbose_name_plural': 'attempts',
                        'db_table': 'forums_outboundmailattempt',
                        'ordering': ['row', 'number'],
                        'abstract': False,
                        'constraints': [models.UniqueConstraint(fields=('row', 'number'), name='outbound_mail_attempt_once')],
                    },
                ),
    
            ],
            database_operations=[],
        ),
    ]
