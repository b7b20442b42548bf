"""Shared fixtures of the web layer's tests (kept small: each test file keeps its own)."""

import pytest


@pytest.fixture
def staff_user(django_user_model):
    """A member of staff (may log in to the admin), with a Chinese name."""
    return django_user_model.objects.create_user(username="wangfang", password="docgen-test-1", is_staff=True,
                                                 first_name="芳", last_name="王")
