"""Loaded by every Python process started with this folder on PYTHONPATH (the offline test).

It makes the network unreachable: any connection or name lookup to a host other than this machine's
loopback fails, and is written to the file named by NET_GUARD_LOG so the test can show that
nothing even tried.
"""

import ipaddress
import os
import socket

_LOG = os.environ.get("NET_GUARD_LOG")
_LOCAL = {"127.0.0.1", "::1", "localhost", "0.0.0.0", "ip6-localhost"}


def _note(what: str) -> None:
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as f:
            f.write(f"{os.getpid()} {what}\n")


def _host(address: object) -> str:
    if isinstance(address, tuple) and address:
        return str(address[0])
    return "unix"


_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex
_getaddrinfo = socket.getaddrinfo


def connect(self, address):  # type: ignore[no-untyped-def]
    host = _host(address)
    if self.family in (socket.AF_INET, socket.AF_INET6) and host not in _LOCAL:
        _note(f"connect {host}")
        raise OSError(101, "Network is unreachable (followup offline test)")
    return _connect(self, address)


def connect_ex(self, address):  # type: ignore[no-untyped-def]
    host = _host(address)
    if self.family in (socket.AF_INET, socket.AF_INET6) and host not in _LOCAL:
        _note(f"connect {host}")
        return 101
    return _connect_ex(self, address)


def _numeric(host: object) -> bool:
    try:
        ipaddress.ip_address(str(host))
    except ValueError:
        return False
    return True


def getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
    if host is not None and str(host) not in _LOCAL and not _numeric(host):
        _note(f"resolve {host}")
        raise socket.gaierror(socket.EAI_NONAME, "Name resolution disabled (followup offline test)")
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect = connect  # type: ignore[method-assign]
socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
socket.getaddrinfo = getaddrinfo
