"""Keep search vectors and cached directory figures in step with single edits (admin, forms).
Bulk writers (import, seed) call services.refresh_search and directory_changed themselves."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .models import FieldOfActivity, Municipality, Organisation, OrganisationType, Region
from .services import directory_changed, refresh_search


@receiver(post_save, sender=Organisation)
def organisation_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_search([instance.pk])
        transaction.on_commit(directory_changed)


@receiver(m2m_changed, sender=Organisation.fields_of_activity.through)
def organisation_fields_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    # From a field's side (field.organisations.add(...)), pk_set holds the organisations.
    refresh_search((pk_set or []) if reverse else [instance.pk])
    transaction.on_commit(directory_changed)


@receiver(post_save, sender=Municipality)
@receiver(post_save, sender=FieldOfActivity)
def vocabulary_renamed(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_search(instance.organisations.values_list("pk", flat=True))
        transaction.on_commit(directory_changed)


@receiver(post_delete, sender=Organisation)
@receiver(post_save, sender=OrganisationType)
@receiver(post_save, sender=Region)
def directory_structure_changed(sender, **kwargs):
    transaction.on_commit(directory_changed)
