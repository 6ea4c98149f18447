"""The documented production front (deploy/nginx/renkei.conf) run on one machine: for the topology
test and the benchmark, which check the very configuration the docs tell an operator to install."""

import re
from pathlib import Path


def nginx_site(*, front_port: int, app_ports: list[int], light, static) -> str:
    """deploy/nginx/renkei.conf as it is, but on loopback without TLS, with these app servers and
    folders: for the topology test and the benchmark, which run the documented front."""
    root = Path(__file__).resolve().parent.parent
    site = (root / "deploy" / "nginx" / "renkei.conf").read_text()
    site = re.sub(r"server \{\n    listen 80;.*?\n\}\n\n", "", site, flags=re.S)
    site = site.replace("    listen 443 ssl;\n    listen [::]:443 ssl;\n    http2 on;\n",
                        f"    listen 127.0.0.1:{front_port} backlog=4096;\n")
    site = re.sub(r"    ssl_certificate.*\n", "", site)
    site = site.replace("/srv/renkei/deploy/", f"{root}/deploy/").replace("/srv/renkei/var/light", str(light))
    site = site.replace("/srv/renkei/var/static", str(static))
    servers = "".join(f"    server 127.0.0.1:{port};\n" for port in app_ports)
    site, count = re.subn(r"(upstream renkei_app \{\n)(?:    server .*\n)+", lambda m: m.group(1) + servers, site)
    settings = [line for line in site.splitlines() if not line.lstrip().startswith("#")]
    assert count == 1 and not any("/srv/renkei" in line or "ssl" in line for line in settings), (
        "deploy/nginx/renkei.conf changed shape")
    return site
