"""Keep project search vectors and the cached project pages in step with single edits.
Bulk writers (seed_demo) call services.refresh_project_search and projects_changed themselves."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from association.models import Topic
from members.models import Organisation

from .models import Funder, FundingCall, Programme, Project, ProjectPartner
from .services import projects_changed, refresh_project_search


@receiver(post_save, sender=Project)
def project_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_project_search([instance.pk])
        transaction.on_commit(projects_changed)


@receiver(post_save, sender=ProjectPartner)
@receiver(post_delete, sender=ProjectPartner)
def partner_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_project_search([instance.project_id])
        transaction.on_commit(projects_changed)


@receiver(post_save, sender=Organisation)
def organisation_renamed(sender, instance, raw=False, **kwargs):
    # Project pages and search show the names of their lead and partners.
    if not raw:
        refresh_project_search(
            Project.objects.involving([instance.pk]).values_list("pk", flat=True)
        )
        transaction.on_commit(projects_changed)


@receiver(m2m_changed, sender=Project.topics.through)
@receiver(m2m_changed, sender=Project.regions.through)
@receiver(m2m_changed, sender=Project.municipalities.through)
@receiver(m2m_changed, sender=FundingCall.topics.through)
@receiver(post_save, sender=FundingCall)
@receiver(post_delete, sender=FundingCall)
@receiver(post_delete, sender=Project)
@receiver(post_save, sender=Funder)
@receiver(post_save, sender=Programme)
@receiver(post_save, sender=Topic)
def projects_content_changed(sender, **kwargs):
    transaction.on_commit(projects_changed)
