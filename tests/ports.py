"""Ports for tests that start a server of their own, or stand for a part that is down."""

import socket


def unused_port() -> int:
    """A port on 127.0.0.1 that the system just handed out and nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
