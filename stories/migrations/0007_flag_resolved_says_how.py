# The constraint comes in its own migration (its own transaction): PostgreSQL refuses to alter
# a table in the transaction that just updated its rows (0006's data step).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("stories", "0006_correction_flag_resolution"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='correctionflag',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('resolution', ''), ('resolved_at__isnull', True)), models.Q(('resolution__in', ['correction', 'withdrawal']), ('resolved_at__isnull', False)), _connector='OR'), name='flag_resolved_says_how'),
        ),
    ]
