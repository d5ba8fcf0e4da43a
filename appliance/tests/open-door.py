#!/usr/bin/env python3
"""Opens an address door on a Splicer box through its admin API, so unmodified clients may pair.

Usage: open-door.py ADMIN_URL TOKEN PREFIX [--minutes N] [--wait SECONDS]
--wait retries until the admin answers (for a box that is still starting).
Exits 0 and prints the door's id when the door is open; 1 otherwise.
"""
import argparse
import json
import sys
import time
import urllib.error
import urllib.request


def open_door(url, token, prefix, minutes):
    body = json.dumps({"kind": "address", "duration": f"{minutes}m", "addressPrefix": prefix,
                       "name": "appliance test"}).encode()
    request = urllib.request.Request(url.rstrip("/") + "/api/doors", data=body, method="POST", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["door"]["id"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("token")
    parser.add_argument("prefix")
    parser.add_argument("--minutes", type=int, default=30)
    parser.add_argument("--wait", type=float, default=0)
    args = parser.parse_args()
    deadline = time.monotonic() + args.wait
    while True:
        try:
            print(f"door {open_door(args.url, args.token, args.prefix, args.minutes)} open for {args.prefix}")
            return 0
        except (OSError, urllib.error.URLError) as error:
            if time.monotonic() >= deadline:
                print(f"could not open a door: {error}", file=sys.stderr)
                return 1
            time.sleep(1)


if __name__ == "__main__":
    sys.exit(main())
