"""Two gunicorn instances on different ports against one PostgreSQL database behave as one portal:
a session signed in on one works on the other, signing out on one ends it on both, and failed sign-ins
on one count towards the lockout on the other.

    .venv/bin/python bench/two_instances.py --ports 8106 8116   (DATABASE_URL: a PostgreSQL database)
"""

import argparse
import os
import re
import sys

import requests
from _server import DEFAULT_DATABASE_URL, DEMO_PASSWORD, Gunicorn, manage, prepare


def sign_in(base, username, password):
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{base}/accounts/login/",
        {"csrfmiddlewaretoken": token, "username": username, "password": password},
        allow_redirects=False,
    )
    return session, response


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ports", type=int, nargs=2, default=[8106, 8116])
    parser.add_argument("--synthetic", type=int, default=1000)
    args = parser.parse_args()
    env = prepare(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL), synthetic=args.synthetic)
    checks = []

    def check(label, ok):
        checks.append(ok)
        print(f"  {'ok  ' if ok else 'FAIL'} {label}")

    with Gunicorn(env, args.ports[0]) as a, Gunicorn(env, args.ports[1]) as b:
        print(f"Instance A {a.url}, instance B {b.url}, one database")
        session, response = sign_in(a.url, "csb", DEMO_PASSWORD)
        check("csb signs in on A", response.status_code == 302)
        on_b = session.get(f"{b.url}/admin/", allow_redirects=False)
        check(
            "the session from A opens the admin on B",
            on_b.status_code == 200 and 'id="user-tools"' in on_b.text,
        )
        token = session.cookies["csrftoken"]
        signed_out = session.post(f"{b.url}/accounts/logout/", {"csrfmiddlewaretoken": token})
        check("signing out on B works with A's CSRF token", signed_out.status_code == 200)
        check(
            "and ends the session on A too",
            session.get(f"{a.url}/admin/", allow_redirects=False).status_code == 302,
        )
        for _ in range(4):
            sign_in(a.url, "officer01", "wrong-password")
        _, locked = sign_in(b.url, "officer01", "wrong-password")
        check("4 failed sign-ins on A and a 5th on B lock the account (429)", locked.status_code == 429)
        _, still = sign_in(a.url, "officer01", DEMO_PASSWORD)
        check("A refuses even the right password while locked", still.status_code == 429)
    # Leave the demo account usable for the next run.
    manage(env, "axes_reset_username", "officer01")
    print(f"{sum(checks)} passed, {len(checks) - sum(checks)} failed")
    return 0 if all(checks) else 1


if __name__ == "__main__":
    sys.exit(main())
