from modeltranslation.translator import TranslationOptions, register

from .models import Affiliation, AssociationProfile, SitePage, Topic


@register(AssociationProfile)
class AssociationProfileTranslation(TranslationOptions):
    fields = ("name", "short_name", "vision", "mission", "values", "goals", "activities")


@register(Affiliation)
class AffiliationTranslation(TranslationOptions):
    fields = ("name",)


@register(SitePage)
class SitePageTranslation(TranslationOptions):
    fields = ("title", "body")


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("name",)
