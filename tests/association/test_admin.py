import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from association.models import AssociationProfile, SitePage
from tests.factories import PASSWORD, make_secretariat_user

pytestmark = pytest.mark.django_db

PROFILE_URL = "/admin/association/associationprofile/1/change/"


@pytest.fixture
def secretariat_client(client):
    client.force_login(make_secretariat_user())
    return client


def profile_form(**changes):
    data = {
        "name_en": "Union of Culture Houses",
        "name_lt": "Kultūros namų sąjunga",
        "founding_year": "2002",
        "email": "office@uch.example",
        "affiliations-TOTAL_FORMS": "0",
        "affiliations-INITIAL_FORMS": "0",
        "affiliations-MIN_NUM_FORMS": "0",
        "affiliations-MAX_NUM_FORMS": "1000",
    }
    return data | changes


def png(size=(1600, 400)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "PNG")
    return SimpleUploadedFile("our logo.png", buffer.getvalue(), content_type="image/png")


def test_secretariat_edits_the_profile_in_each_language(secretariat_client):
    response = secretariat_client.post(PROFILE_URL, profile_form())
    assert response.status_code == 302
    profile = AssociationProfile.load()
    assert (profile.name_en, profile.name_lt) == (
        "Union of Culture Houses",
        "Kultūros namų sąjunga",
    )
    assert "Kultūros namų sąjunga" in secretariat_client.get("/lt/about/").content.decode()


def test_logo_is_reencoded_and_scaled_on_upload(secretariat_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    secretariat_client.post(PROFILE_URL, profile_form(logo=png()))
    logo = AssociationProfile.load().logo
    assert logo.name.startswith("association/") and "our logo" not in logo.name
    assert Image.open(logo.path).size == (800, 200)


def gif():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "teal").save(buffer, "GIF")
    return SimpleUploadedFile("logo.gif", buffer.getvalue(), content_type="image/gif")


@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (
            lambda: SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>"),
            "Upload a valid image",
        ),
        (gif, "not a PNG, JPEG or WebP image"),
    ],
    ids=["svg-as-png", "gif"],
)
def test_a_file_that_is_not_an_accepted_image_is_refused_with_the_reason(
    secretariat_client, upload, reason
):
    before = AssociationProfile.load().name_en
    response = secretariat_client.post(PROFILE_URL, profile_form(logo=upload()))
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert AssociationProfile.load().name_en == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("founding_year", "last year", "Enter a whole number."),
        ("email", "not an address", "Enter a valid email address."),
        ("name_en", "", "This field is required."),
        ("website", "javascript:alert(1)", "Enter a valid URL."),
    ],
)
def test_garbage_in_profile_fields_is_refused(secretariat_client, field, value, message):
    response = secretariat_client.post(PROFILE_URL, profile_form(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert AssociationProfile.load().name_en != "Union of Culture Houses"


def test_the_profile_cannot_be_added_or_deleted(secretariat_client):
    assert secretariat_client.get("/admin/association/associationprofile/add/").status_code == 403
    delete = secretariat_client.post(PROFILE_URL.replace("change", "delete"), {"post": "yes"})
    assert delete.status_code == 403
    assert AssociationProfile.objects.count() == 1


def test_secretariat_edits_the_accessibility_statement(secretariat_client):
    page = SitePage.objects.get(kind="accessibility")
    response = secretariat_client.post(
        f"/admin/association/sitepage/{page.pk}/change/",
        {"title_en": "Accessibility", "body_en": "<p>Fine.</p><script>x()</script>"},
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.body_en == "<p>Fine.</p>"


def test_member_staff_without_the_secretariat_role_cannot_edit(client):
    from tests.factories import make_user

    user = make_user(is_staff=False)
    client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})
    response = client.post(PROFILE_URL, profile_form())
    assert response.status_code in (302, 403)
    assert AssociationProfile.load().name_en != "Union of Culture Houses"
