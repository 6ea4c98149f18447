import io

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the reference data and the newsletter's records."""
    with django_db_blocker.unblock():
        call_command("load_reference_data", stdout=io.StringIO())
        call_command("load_newsletter", stdout=io.StringIO())


@pytest.fixture
def world(db):
    from renkei.testing import build_world

    return build_world()
