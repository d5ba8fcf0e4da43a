#!/usr/bin/env python3
"""Small TCP probes for the firewall test.

probe.py listen PORT...                 accept on every port (IPv4 and IPv6) and close, until killed
probe.py connect HOST PORT [TIMEOUT]    exit 0 if a connection is established within TIMEOUT seconds
probe.py burst HOST PORT COUNT SECONDS  open COUNT connections at once; print how many got through
"""
import selectors
import socket
import sys
import time


def listen(ports):
    selector = selectors.DefaultSelector()
    for port in ports:
        server = socket.create_server(("::", port), family=socket.AF_INET6, dualstack_ipv6=True, backlog=1024)
        server.setblocking(False)
        selector.register(server, selectors.EVENT_READ)
    print("listening", flush=True)
    while True:
        for key, _ in selector.select():
            connection, _ = key.fileobj.accept()
            connection.close()


def connect(host, port, timeout):
    try:
        socket.create_connection((host, port), timeout=timeout).close()
        return 0
    except OSError:
        return 1


def burst(host, port, count, seconds):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    selector = selectors.DefaultSelector()
    for _ in range(count):
        client = socket.socket(family, socket.SOCK_STREAM)
        client.setblocking(False)
        client.connect_ex((host, port))
        selector.register(client, selectors.EVENT_WRITE)
    established = 0
    deadline = time.monotonic() + seconds
    while selector.get_map() and time.monotonic() < deadline:
        for key, _ in selector.select(timeout=max(0.0, deadline - time.monotonic())):
            client = key.fileobj
            selector.unregister(client)
            if client.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                established += 1
            client.close()
    print(established)
    return 0


def main(arguments):
    command = arguments[0]
    if command == "listen":
        return listen([int(port) for port in arguments[1:]])
    if command == "connect":
        return connect(arguments[1], int(arguments[2]), float(arguments[3]) if len(arguments) > 3 else 5)
    if command == "burst":
        return burst(arguments[1], int(arguments[2]), int(arguments[3]), float(arguments[4]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
