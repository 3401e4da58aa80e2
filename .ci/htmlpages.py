#!/usr/bin/env python3
"""Save the demo's main pages as each role sees them, for the Nu HTML Checker (.ci/htmlcheck.sh).

For every role (anonymous, then each demo login) the crawler starts at the home page and follows the links the
pages offer on the site, one page of each URL shape (`/projects/7/` stands for all projects), at most
--per-role pages; downloads, the admin, the API and logging out are not followed. Each HTML page is written to
OUT/ROLE/NNN.html with the address it came from in OUT/ROLE/index.txt. Standard library only.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from html.parser import HTMLParser
from pathlib import Path

ROLES = ["anonymous", "staff", "grantor", "expert", "member", "community"]
NOT_FOLLOWED = ("/api/", "/static/", "/media/", "/admin/", "/accounts/logout/", "/healthz")
PASSWORD = "demo-password"  # the demo's published password (README)


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.csrf = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag == "input" and values.get("name") == "csrfmiddlewaretoken":
            self.csrf = values.get("value") or ""


def shape(path: str) -> str:
    parts = urllib.parse.urlsplit(path)
    keys = "&".join(sorted(k.split("=")[0] for k in parts.query.split("&") if k))
    return re.sub(r"\d+", "N", parts.path) + ("?" + keys if keys else "")


def opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def log_in(client: urllib.request.OpenerDirector, base: str, username: str) -> None:
    page = Links()
    page.feed(client.open(base + "/accounts/login/").read().decode())
    body = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": page.csrf})
    request = urllib.request.Request(base + "/accounts/login/", data=body.encode(), headers={"Referer": base + "/"})
    answer = client.open(request)
    if urllib.parse.urlsplit(answer.geturl()).path != "/":
        sys.exit(f"не удалось войти как {username}")


def crawl(client: urllib.request.OpenerDirector, base: str, limit: int) -> list[tuple[str, str]]:
    queue, seen, shapes, pages = deque(["/"]), set(), set(), []
    while queue and len(pages) < limit:
        path = queue.popleft()
        if path in seen or shape(path) in shapes:
            continue
        seen.add(path)
        shapes.add(shape(path))
        try:
            answer = client.open(base + path)
        except urllib.error.HTTPError as error:
            if error.code >= 500:
                sys.exit(f"{path}: ответ {error.code}")
            continue
        if "text/html" not in answer.headers.get("Content-Type", ""):
            continue
        html = answer.read().decode()
        pages.append((path, html))
        links = Links()
        links.feed(html)
        for link in links.links:
            target = urllib.parse.urlsplit(urllib.parse.urljoin(path, link))
            if target.scheme not in ("", "http") or target.netloc not in ("", urllib.parse.urlsplit(base).netloc):
                continue
            local = target.path + (f"?{target.query}" if target.query else "")
            if not local.startswith(NOT_FOLLOWED) and local not in seen:
                queue.append(local)
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", required=True)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--per-role", type=int, default=30)
    args = parser.parse_args()
    total = 0
    for role in ROLES:
        client = opener()
        if role != "anonymous":
            log_in(client, args.base, role)
        folder = args.out / role
        folder.mkdir(parents=True, exist_ok=True)
        pages = crawl(client, args.base, args.per_role)
        index = []
        for number, (path, html) in enumerate(pages, start=1):
            (folder / f"{number:03}.html").write_text(html, encoding="utf-8")
            index.append(f"{number:03}.html {path}")
        (folder / "index.txt").write_text("\n".join(index) + "\n", encoding="utf-8")
        total += len(pages)
        print(f"{role}: сохранено страниц: {len(pages)}", flush=True)
    print(f"Итого страниц: {total}")


if __name__ == "__main__":
    main()
