import django.db.models.deletion
from django.db import migrations, models

# The admin's list of publications shows every status, so the catalogue's indexes (which
# lead with the status) cannot order it: these serve its orders by date and by title in
# both directions, and its exact search by ISBN (the DOI has its unique index). The
# forum's own index gives way to one on (forum, date, id), which lists a staff member's
# forum newest first and serves their counts and joins without reading the table.


class Migration(migrations.Migration):

    dependencies = [
        ('publications', '0007_page_count'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='publication',
            index=models.Index(
                fields=['forum', '-published_on', '-id'], name='publication_forum_date'
            ),
        ),
        migrations.AlterField(
            model_name='publication',
            name='forum',
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name='publications',
                to='forums.forum',
                verbose_name='forum',
            ),
        ),
        migrations.AddIndex(
            model_name='publication',
            index=models.Index(fields=['-published_on', '-id'], name='publication_date'),
        ),
        migrations.AddIndex(
            model_name='publication',
            index=models.Index(fields=['title', 'id'], name='publication_title'),
        ),
        migrations.AddIndex(
            model_name='publication',
            index=models.Index(
                condition=models.Q(('isbn', ''), _negated=True),
                fields=['isbn'],
                name='publication_isbn',
            ),
        ),
    ]
