from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inventory", "0002_capability_materials_material_idx")]

    operations = [
        migrations.AddIndex(
            model_name="capability",
            index=models.Index(
                fields=["process", "plant"],
                include=("id", "max_diameter_mm", "max_length_mm", "max_weight_kg", "best_it_grade"),
                name="capability_process_limits_idx",
            ),
        ),
    ]
