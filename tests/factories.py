"""One way to build test data: make_*(**kwargs) with sensible defaults."""

import itertools

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from association.models import User

PASSWORD = "correct-horse-battery"
_numbers = itertools.count(1)


def make_user(*, email=None, password=PASSWORD, verified=True, **fields):
    email = email or f"person{next(_numbers)}@example.org"
    user = User.objects.create_user(email=email, password=password, **fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    return user


def make_secretariat_user(**fields):
    user = make_user(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name="Secretariat"))
    return user
