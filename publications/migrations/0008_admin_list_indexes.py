from django.db import migrations, models

# The admin's list of publications shows every status, so the catalogue's indexes (which
# lead with the status) cannot order it: these serve its orders by date and by title in
# both directions, and its exact search by ISBN (the DOI has its unique index).


class Migration(migrations.Migration):

    dependencies = [
        ('publications', '0007_page_count'),
    ]

    operations = [
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
