"""A user's API tokens end when their password changes or is made unusable.

Django ends a user's sessions on a password change (the session keeps a hash
of the password); tokens need the same. The password can change in the admin,
through ``changepassword`` or in a shell, with no one service in between, so
this listens to the user's save.
"""

from knox.models import get_token_model


def end_tokens_when_password_changes(sender, instance, update_fields=None, **kwargs):
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is not None and stored != instance.password:
        get_token_model().objects.filter(user_id=instance.pk).delete()
