"""The secretariat's campaign preview and progress pages in Chromium: no axe-core violation,
nothing the Content-Security-Policy blocks."""

from django.test import Client

from association.models import Campaign, Delivery
from tests.factories import make_secretariat_user
from tests.helpers import assert_accessible, committed_db


@committed_db
def test_the_preview_and_the_progress_view_are_accessible(page, live_server):
    campaign = Campaign.objects.create(
        subject="Spring news", preheader="What happened", intro="Hello & welcome."
    )
    Delivery.objects.create(campaign=campaign, email="ona@example.org", status="unknown")
    client = Client()
    client.force_login(make_secretariat_user())
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"/admin/association/campaign/{campaign.pk}/preview/")
    assert page.locator("h1").inner_text() == "Spring news"
    assert_accessible(page)
    page.goto(f"/admin/association/campaign/{campaign.pk}/progress/")
    assert page.get_by_role("button", name="Resend 1 uncertain message").is_visible()
    assert_accessible(page)
