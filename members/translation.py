from modeltranslation.translator import TranslationOptions, register

from .models import FieldOfActivity, OrganisationType


@register(OrganisationType)
class OrganisationTypeTranslation(TranslationOptions):
    fields = ("name", "name_plural")


@register(FieldOfActivity)
class FieldOfActivityTranslation(TranslationOptions):
    fields = ("name",)
