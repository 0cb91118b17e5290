from django.db import models
from django.utils.translation import gettext_lazy as _


class Process(models.TextChoices):
    """The fixed taxonomy of ways a part can be made or repaired."""

    TURNING = "turning", _("Turning")
    MILLING = "milling", _("Milling")
    GRINDING = "grinding", _("Grinding")
    DRILLING = "drilling", _("Drilling")
    BORING = "boring", _("Boring")
    GEAR_CUTTING = "gear_cutting", _("Gear cutting (hobbing/shaping)")
    WELDING = "welding", _("Welding (SMAW/GMAW/GTAW)")
    CASTING = "casting", _("Casting (sand)")
    FORGING = "forging", _("Forging")
    HEAT_TREATMENT = "heat_treatment", _("Heat treatment")
    SHEET_METAL = "sheet_metal", _("Sheet metal and boilermaking")
    EDM = "edm", _("EDM (wire or sinker)")
    ADDITIVE = "additive", _("Additive manufacturing")
    MOTOR_REWINDING = "motor_rewinding", _("Electric motor rewinding")
    BALANCING = "balancing", _("Dynamic balancing")
    HARD_CHROME_PLATING = "hard_chrome_plating", _("Hard chrome plating")
    THERMAL_SPRAY = "thermal_spray", _("Thermal spray / metallizing")
    BABBITTING = "babbitting", _("Babbitt (white metal) bearing pouring")
    MACHINING_REPAIR = "machining_repair", _("In-place machining and repair")


# Processes whose result does not depend on the part's material: a capability
# for them may list no materials and still serve a request that names one.
MATERIAL_INDEPENDENT_PROCESSES = frozenset({Process.MOTOR_REWINDING, Process.BALANCING})
