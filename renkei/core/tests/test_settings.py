"""Settings come from the environment; production refuses defaults for secrets."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run_manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS")}
    environment.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)


def test_production_check_deploy_reports_nothing(tmp_path):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        RENKEI_ENV="production", SECRET_KEY="x" * 20 + "a-long-random-production-secret-value-9f8e7d",
        ALLOWED_HOSTS="renkei.example.jp", DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    result = run_manage("check", RENKEI_ENV="production", ALLOWED_HOSTS="renkei.example.jp",
                        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_malformed_boolean_is_refused(tmp_path):
    result = run_manage("check", DEBUG="maybe", DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_env_example_lists_every_variable_the_settings_read():
    import re

    settings_source = (ROOT / "renkei" / "settings.py").read_text()
    read = set(re.findall(r'env(?:bool|int|list)?\(\s*"([A-Z_]+)"', settings_source))
    read |= set(re.findall(r'required_in_production\(\s*"([A-Z_]+)"', settings_source))
    listed = set(re.findall(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read - listed == set()


def test_the_embedded_database_runs_in_wal_mode(tmp_path):
    result = run_manage(
        "shell", "-c",
        "from django.db import connection; c = connection.cursor(); c.execute('PRAGMA journal_mode');"
        " print(c.fetchone()[0])",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "wal"


def test_mail_links_follow_the_port_make_run_serves_on():
    import shutil
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    make = shutil.which("make")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(root)}
    script = "serve-site-url:\n\t@echo $$SITE_URL\n"
    out = subprocess.run([make, "-s", "-f", "Makefile", "-f", "-", "serve-site-url", "PORT=8080"], cwd=root, env=env,
                         input=script, capture_output=True, text=True, check=True).stdout.strip()
    assert out == "http://127.0.0.1:8080"
    given = subprocess.run([make, "-s", "-f", "Makefile", "-f", "-", "serve-site-url", "PORT=8080"], cwd=root,
                           env={**env, "SITE_URL": "https://renkei.example.jp"}, input=script, capture_output=True,
                           text=True, check=True).stdout.strip()
    assert given == "https://renkei.example.jp"


def test_development_mail_is_written_where_a_person_can_read_it(tmp_path):
    mail = tmp_path / "mail"
    result = run_manage(
        "sendtestemail", "clerk@example.jp", RENKEI_ENV="development", EMAIL_BACKEND="",
        EMAIL_FILE_PATH=str(mail), DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
    )
    assert result.returncode == 0, result.stderr
    assert "clerk@example.jp" not in result.stdout + result.stderr
    (written,) = mail.glob("*.txt")
    text = written.read_text(encoding="utf-8")
    assert "To: clerk@example.jp" in text
    assert "Subject: Test email from" in text
