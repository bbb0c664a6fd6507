import re
import time

import pytest
import redis
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError

from association.models import AssociationProfile
from tests.factories import PASSWORD, make_secretariat_user, make_user

pytestmark = pytest.mark.django_db

LOGIN_URL = "/en/accounts/login/"


def sign_in(client, email, password=PASSWORD):
    return client.post(LOGIN_URL, {"login": email, "password": password})


def signed_in_user(client):
    return client.get("/en/").context["user"]


def test_sign_in_with_email_and_password(client):
    user = make_user(email="rasa@example.org")
    response = sign_in(client, "rasa@example.org")
    assert response.status_code == 302
    assert response["Location"] == "/en/"
    assert signed_in_user(client) == user
    assert "Sign out" in client.get("/en/").content.decode()


def test_sign_in_ignores_the_case_of_the_email_address(client):
    user = make_user(email="rasa@example.org")
    sign_in(client, "  Rasa@Example.ORG ")
    assert signed_in_user(client) == user


def test_wrong_password_is_refused_with_a_message(client):
    make_user(email="rasa@example.org")
    response = sign_in(client, "rasa@example.org", "not-the-password")
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert not signed_in_user(client).is_authenticated


def test_unknown_and_known_addresses_get_the_same_answer(client):
    make_user(email="rasa@example.org")
    known = sign_in(client, "rasa@example.org", "wrong-password-1").content.decode()
    unknown = sign_in(client, "nobody@example.org", "wrong-password-1").content.decode()
    csrf_token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert csrf_token.sub("", known).replace("rasa@", "x@") == csrf_token.sub("", unknown).replace(
        "nobody@", "x@"
    )


def test_failed_sign_ins_are_rate_limited(client):
    make_user(email="rasa@example.org")
    for _attempt in range(5):
        sign_in(client, "rasa@example.org", "wrong-password")
    # Even the right password is refused until the limit expires.
    response = sign_in(client, "rasa@example.org")
    assert "Too many failed login attempts" in response.content.decode()
    assert not signed_in_user(client).is_authenticated


def test_rate_limit_counters_live_in_redis_where_every_process_sees_them(client, settings):
    make_user(email="rasa@example.org")
    sign_in(client, "rasa@example.org", "wrong-password")
    # Read with a separate Redis connection, as another web process would.
    other_process = redis.Redis.from_url(settings.REDIS_URL)
    keys = [key.decode() for key in other_process.scan_iter("test:*:allauth:rl:*")]
    other_process.close()
    assert any(":login_failed:" in key for key in keys)


def test_unverified_address_cannot_sign_in(client, django_capture_on_commit_callbacks):
    make_user(email="new@example.org", verified=False)
    with django_capture_on_commit_callbacks() as callbacks:
        response = sign_in(client, "new@example.org")
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/confirm-email/"
    assert not signed_in_user(client).is_authenticated
    assert len(callbacks) == 1  # the verification email, queued for Celery after commit


def test_sign_out_needs_a_post(client):
    user = make_user()
    client.force_login(user)
    client.get("/en/accounts/logout/")
    assert signed_in_user(client).is_authenticated
    response = client.post("/en/accounts/logout/")
    assert response.status_code == 302
    assert not signed_in_user(client).is_authenticated


def test_public_sign_up_is_closed_by_default(client):
    response = client.get("/en/accounts/signup/")
    assert "Sign Up Closed" in response.content.decode()
    client.post(
        "/en/accounts/signup/",
        {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert not get_user_model().objects.filter(email="new@example.org").exists()
    assert "Create an account" not in client.get(LOGIN_URL).content.decode()


def test_a_setting_opens_sign_up(client, settings):
    settings.ACCOUNT_SIGNUP_OPEN = True
    assert "Create an account" in client.get(LOGIN_URL).content.decode()
    client.post(
        "/en/accounts/signup/",
        {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    user = get_user_model().objects.get(email="new@example.org")
    # Mandatory verification: the new account cannot sign in before confirming the address.
    assert not user.emailaddress_set.get().verified


def test_email_addresses_are_unique_whatever_their_case():
    make_user(email="rasa@example.org")
    with pytest.raises(IntegrityError):
        get_user_model().objects.create_user(email="RASA@example.org", password=PASSWORD)


def test_secretariat_group_exists_with_its_permissions():
    secretariat = Group.objects.get(name="Secretariat")
    codenames = set(secretariat.permissions.values_list("codename", flat=True))
    assert {"change_associationprofile", "change_sitepage", "view_user"} <= codenames
    assert "delete_user" not in codenames


def test_secretariat_edits_the_association_profile_in_the_admin(client):
    client.force_login(make_secretariat_user())
    response = client.get("/admin/association/associationprofile/")
    assert response.status_code == 302  # one profile: the list goes straight to it
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "name_lt" in page.content.decode()


def test_admin_signs_in_through_the_portals_sign_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_the_secretariat_must_set_up_two_factor_authentication_first(client):
    user = make_secretariat_user(mfa=False)
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/2fa/totp/activate/"


def test_the_association_may_let_the_secretariat_in_without_it(client):
    profile = AssociationProfile.load()
    profile.secretariat_requires_mfa = False
    profile.save()
    client.force_login(make_secretariat_user(mfa=False))
    assert client.get("/admin/").status_code == 200


def test_member_staff_cannot_enter_the_admin(client):
    user = make_user()
    sign_in(client, user.email)
    assert client.get("/admin/login/").status_code == 403


# --- Two-factor authentication ----------------------------------------------------------------


def current_code(secret):
    # A code computed in the last second of its 30-second window may expire before it is posted.
    if 30 - time.time() % 30 < 2:
        time.sleep(2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def enrol_totp(client, user):
    sign_in(client, user.email)
    # Turning on two-factor authentication asks for the password again.
    response = client.get("/en/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/en/accounts/reauthenticate/")
    client.post(response["Location"], {"password": PASSWORD})
    response = client.get("/en/accounts/2fa/totp/activate/")
    secret = response.context["form"].secret
    response = client.post("/en/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert response.status_code == 302
    return secret


def test_mfa_enrolment_and_sign_in_with_a_code(client):
    user = make_user(email="rasa@example.org")
    secret = enrol_totp(client, user)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()
    client.post("/en/accounts/logout/")

    response = sign_in(client, "rasa@example.org")
    assert response["Location"] == "/en/accounts/2fa/authenticate/"
    assert not signed_in_user(client).is_authenticated
    response = client.post("/en/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert signed_in_user(client) == user


def sign_in_with_code(client, code):
    """Password, then the second factor; returns the answer to the code."""
    client.post("/en/accounts/logout/")
    sign_in(client, "rasa@example.org")
    return client.post("/en/accounts/2fa/authenticate/", {"code": code})


def test_a_used_code_is_refused_the_second_time(client):
    user = make_user(email="rasa@example.org")
    code = current_code(enrol_totp(client, user))
    sign_in_with_code(client, code)
    assert signed_in_user(client) == user

    response = sign_in_with_code(client, code)
    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert not signed_in_user(client).is_authenticated


def test_a_wrong_code_is_refused(client):
    enrol_totp(client, make_user(email="rasa@example.org"))
    response = sign_in_with_code(client, "not-a-code")
    assert "Incorrect code" in response.content.decode()
    assert not signed_in_user(client).is_authenticated


def test_a_recovery_code_signs_in_once(client):
    user = make_user(email="rasa@example.org")
    enrol_totp(client, user)
    recovery = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    code = RecoveryCodes(recovery).get_unused_codes()[0]
    sign_in_with_code(client, code)
    assert signed_in_user(client) == user

    sign_in_with_code(client, code)
    assert not signed_in_user(client).is_authenticated
