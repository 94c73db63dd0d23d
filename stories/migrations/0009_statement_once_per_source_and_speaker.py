# The constraint comes in its own migration (its own transaction), after 0008 merged the
# duplicates: PostgreSQL refuses to index a table in the transaction that just changed its rows.

import django.db.models.functions.comparison
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0010_tenure_seen_held_records'),
        ('stories', '0008_merge_duplicate_statements'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='statement',
            constraint=models.UniqueConstraint(models.F('source'), django.db.models.functions.comparison.Coalesce('speaker', 0), django.db.models.functions.text.MD5('quote'), name='statement_once_per_source_and_speaker', violation_error_message='This source already has a statement with these exact words from this speaker.'),
        ),
    ]
