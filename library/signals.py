"""Cached public pages list library items: any change to them or their topics drops those
pages. An item's search text follows its title and description; a file it no longer has is
removed from the private storage once the change is committed."""

from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from association.models import Topic

from .models import LibraryItem
from .services import delete_stored_file, library_changed, refresh_library_search


@receiver(pre_save, sender=LibraryItem)
def item_saving(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    old = LibraryItem.objects.filter(pk=instance.pk).values_list("file", flat=True).first()
    if old and old != instance.file.name:
        transaction.on_commit(partial(delete_stored_file, instance.file.storage, old))


@receiver(post_save, sender=LibraryItem)
def item_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_library_search([instance.pk])
        transaction.on_commit(library_changed)


@receiver(post_delete, sender=LibraryItem)
def item_deleted(sender, instance, **kwargs):
    transaction.on_commit(partial(delete_stored_file, instance.file.storage, instance.file.name))
    transaction.on_commit(library_changed)


@receiver(post_save, sender=Topic)
@receiver(post_delete, sender=Topic)
@receiver(m2m_changed, sender=LibraryItem.topics.through)
def library_content_changed(sender, **kwargs):
    transaction.on_commit(library_changed)
