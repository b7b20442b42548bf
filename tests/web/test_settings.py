"""Deployment settings read from the environment (web/settings.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from django.test import Client
from django.test.utils import override_settings

from workers.local import ROOT


def test_trusted_origins_come_from_the_environment(tmp_path):
    env = {**os.environ, "DOCGEN_CSRF_TRUSTED_ORIGINS": " https://docgen.example.gov.cn, https://oa.example.gov.cn ,",
           "DOCGEN_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "web.settings", "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", "import json; from django.conf import settings; "
                          "print(json.dumps(settings.CSRF_TRUSTED_ORIGINS))"],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=60, check=True)
    assert json.loads(out.stdout) == ["https://docgen.example.gov.cn", "https://oa.example.gov.cn"]


@override_settings(CSRF_TRUSTED_ORIGINS=["https://docgen.example.gov.cn"])
def test_a_form_posted_through_the_https_proxy_passes_csrf_only_from_a_trusted_origin(db):
    """Behind a TLS proxy the browser's Origin is the proxy's public name, not the host Django sees."""
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")
    token = client.cookies["csrftoken"].value
    form = {"username": "nobody", "password": "x", "csrfmiddlewaretoken": token}
    trusted = client.post("/login/", form, secure=True, HTTP_ORIGIN="https://docgen.example.gov.cn")
    forged = client.post("/login/", form, secure=True, HTTP_ORIGIN="https://evil.example.com")
    assert trusted.status_code == 200 and forged.status_code == 403
