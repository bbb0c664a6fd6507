from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site

from .mail import queue_email
from .models import AssociationProfile


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return settings.ACCOUNT_SIGNUP_OPEN

    def format_email_subject(self, subject):
        return f"[{AssociationProfile.load().display_short_name}] {subject}"

    def send_mail(self, template_prefix, email, context):
        # Rendered now, in the visitor's language and with the request's links; sent by Celery.
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, "current_site": get_current_site(request)}
            | context,
        )
        queue_email(message)


class MFAAdapter(DefaultMFAAdapter):
    def get_totp_issuer(self):
        return AssociationProfile.load().display_short_name
