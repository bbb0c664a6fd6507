import pytest
from django.core.files.storage import FileSystemStorage

from library.models import LibraryItem


@pytest.fixture(autouse=True)
def private_files(tmp_path, monkeypatch):
    """The library's files go to a folder of the test's own, removed with it. The field holds
    the storage it was given when the model was made, so that is what is replaced."""
    storage = FileSystemStorage(location=tmp_path / "private", base_url=None)
    monkeypatch.setattr(LibraryItem._meta.get_field("file"), "storage", storage)
    return storage


@pytest.fixture
def member_staff(db):
    from members.models import Role
    from tests.factories import make_organisation, make_user

    user = make_user(name="Tomas Member")
    Role.objects.create(user=user, organisation=make_organisation(), level="editor")
    return user
