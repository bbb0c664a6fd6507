"""Cached public pages show positions, co-signers and seats: any change to them, or to the
organisations they name, drops those pages."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from association.models import Topic
from members.models import Organisation

from .models import Body, Consultation, Endorsement, Position, Seat
from .services import advocacy_changed, refresh_position_search


@receiver(post_save, sender=Position)
def position_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_position_search([instance.pk])
        transaction.on_commit(advocacy_changed)


@receiver(post_save, sender=Consultation)
def consultation_saved(sender, instance, raw=False, **kwargs):
    # A position's search text includes the title and body of the consultation it answers.
    if not raw:
        refresh_position_search(instance.positions.values_list("pk", flat=True))
        transaction.on_commit(advocacy_changed)


@receiver(post_delete, sender=Position)
@receiver(post_delete, sender=Consultation)
@receiver(post_save, sender=Endorsement)
@receiver(post_delete, sender=Endorsement)
@receiver(post_save, sender=Body)
@receiver(post_delete, sender=Body)
@receiver(post_save, sender=Seat)
@receiver(post_delete, sender=Seat)
@receiver(post_save, sender=Organisation)
@receiver(post_save, sender=Topic)
@receiver(m2m_changed, sender=Position.topics.through)
def advocacy_content_changed(sender, **kwargs):
    transaction.on_commit(advocacy_changed)
