# API tokens moved to django-rest-knox, which keeps only a digest of each. The keys of
# rest_framework.authtoken were stored as sent: they are dropped, and their clients log in again.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("inventory", "0004_keep_who_acted")]

    operations = [
        migrations.RunSQL(
            [
                "DROP TABLE IF EXISTS authtoken_token",
                "DELETE FROM django_migrations WHERE app = 'authtoken'",
            ],
            reverse_sql=migrations.RunSQL.noop,
        )
    ]
