#!/usr/bin/env python3
"""Pairs two clients through a Splicer relay and checks the relayed bytes, both ways at once.

Usage: pair.py HOST PORT [--bytes N] [--wait SECONDS]
--wait retries the whole pairing until the relay answers (for a relay that is still starting).
Exits 0 and prints one line when every byte arrived intact; 1 otherwise.
"""
import argparse
import hashlib
import os
import socket
import sys
import threading
import time


def handshake(host, port, token, side, timeout):
    connection = socket.create_connection((host, port), timeout=timeout)
    connection.sendall(f"please relay {token} for side {side}\n".encode())
    return connection


def read_ok(connection):
    reply = b""
    while not reply.endswith(b"\n") and len(reply) < 64:
        chunk = connection.recv(1)
        if not chunk:
            raise ConnectionError(f"closed before ok (got {reply!r})")
        reply += chunk
    if reply != b"ok\n":
        raise ConnectionError(f"expected ok, got {reply!r}")


def send_all_then_fin(connection, payload):
    view = memoryview(payload)
    for start in range(0, len(view), 65536):
        connection.sendall(view[start:start + 65536])
    connection.shutdown(socket.SHUT_WR)


def receive_until_fin(connection, digest):
    received = 0
    while True:
        chunk = connection.recv(65536)
        if not chunk:
            return received
        digest.update(chunk)
        received += len(chunk)


def pair_once(host, port, size, timeout):
    token = os.urandom(32).hex()
    a = handshake(host, port, token, os.urandom(8).hex(), timeout)
    b = handshake(host, port, token, os.urandom(8).hex(), timeout)
    with a, b:
        read_ok(a)
        read_ok(b)
        payloads = {a: os.urandom(size), b: os.urandom(size)}
        digests = {a: hashlib.sha256(), b: hashlib.sha256()}
        counts = {}
        threads = [threading.Thread(target=send_all_then_fin, args=(c, payloads[c])) for c in (a, b)]
        for thread in threads:
            thread.start()

        def receive(c):
            counts[c] = receive_until_fin(c, digests[c])

        readers = [threading.Thread(target=receive, args=(c,)) for c in (a, b)]
        for reader in readers:
            reader.start()
        for thread in threads + readers:
            thread.join(timeout)
        for sender, receiver in ((a, b), (b, a)):
            if digests[receiver].digest() != hashlib.sha256(payloads[sender]).digest():
                raise AssertionError(f"relayed bytes differ: sent {size}, received {counts.get(receiver)}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("--bytes", type=int, default=1 << 20)
    parser.add_argument("--wait", type=float, default=0)
    arguments = parser.parse_args()

    deadline = time.monotonic() + arguments.wait
    delay = 0.2
    while True:
        try:
            pair_once(arguments.host, arguments.port, arguments.bytes, timeout=60)
            print(f"paired through {arguments.host} port {arguments.port}: {arguments.bytes} bytes each way relayed intact")
            return 0
        except (OSError, ConnectionError) as error:
            if time.monotonic() + delay > deadline:
                print(f"pairing through {arguments.host} port {arguments.port} failed: {error}", file=sys.stderr)
                return 1
            time.sleep(delay)
            delay = min(delay * 2, 5)
        except AssertionError as error:
            print(f"pairing through {arguments.host} port {arguments.port}: {error}", file=sys.stderr)
            return 1


if __name__ == "__main__":
    sys.exit(main())
