"""Rendering moves from the secretariat app to its own: its table keeps its name."""

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('secretariat', '0011_staff_permissions_from_one_table'),
    ]

    operations = [
        # The table stays as it is: only where Django files the model moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.CreateModel(
            name='RenderJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('document_type', models.CharField(choices=[('statement', 'Joint statement'), ('actionplan', 'Action plan'), ('conceptpaper', 'Concept paper or note')], max_length=20, verbose_name='document')),
                ('object_id', models.PositiveBigIntegerField(verbose_name='document id')),
                ('version', models.PositiveIntegerField(verbose_name='version')),
                ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Rendering'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=10, verbose_name='status')),
                ('error', models.TextField(blank=True, verbose_name='error')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='requested')),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='started')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
            ],
            options={
                'verbose_name': 'PDF rendering',
                'verbose_name_plural': 'PDF renderings',
                'db_table': 'secretariat_renderjob',
                'ordering': ['-created_at'],
                'indexes': [models.Index(fields=['document_type', 'object_id', '-created_at'], name='render_job_doc')],
            },
        ),
            ],
            database_operations=[],
        ),
    ]
