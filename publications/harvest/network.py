"""The harvester's HTTP: only http(s), only public addresses, bounded in time and size.

A member types their repository's address, and its records name further URLs (PDFs), so
every connection the harvester makes is checked where it is made: the host name is
resolved once, every address it resolves to must be public (not loopback, private,
link-local, multicast, reserved or unspecified) unless ``HARVEST_ALLOW_PRIVATE_ADDRESSES``
is on, and the socket connects to that checked address (no second lookup a DNS answer
could change in between). Redirects are followed, each hop through the same check.
"""

import ipaddress
import socket
import time
from collections.abc import Iterable, Iterator
from typing import Any

import httpcore2
import httpx2
from django.conf import settings

USER_AGENT = "ttf-portal-harvester/1 (OAI-PMH)"
MAX_REDIRECTS = 5
# The largest OAI-PMH response read: a page of records is a few hundred kB.
MAX_PAGE_BYTES = 32 * 1024 * 1024


class AddressRefused(httpx2.TransportError):
    """A URL whose host resolves to an address the harvester may not reach."""


class ResponseTooLarge(httpx2.TransportError):
    """A response longer than the caller's limit."""


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def checked_addresses(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to, all of which may be reached; raises
    ``AddressRefused`` when any may not (or the name does not resolve)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise AddressRefused(f"{host}: the name does not resolve ({exc})") from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not settings.HARVEST_ALLOW_PRIVATE_ADDRESSES:
        refused = [a for a in addresses if not _is_public(a)]
        if refused or not addresses:
            raise AddressRefused(
                f"{host} resolves to a loopback, private or reserved address "
                f"({', '.join(refused)}): not harvested"
            )
    return addresses


class _CheckedBackend(httpcore2.SyncBackend):
    """Connects only to checked addresses (``checked_addresses``)."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore2.NetworkStream:
        error: Exception | None = None
        for address in checked_addresses(host, port):
            try:
                return super().connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore2.ConnectError as exc:
                error = exc
        raise error or httpcore2.ConnectError(f"{host}: no address to connect to")


class _LimitedStream(httpx2.SyncByteStream):
    def __init__(self, stream: httpx2.SyncByteStream, limit: int):
        self.stream, self.limit = stream, limit

    def __iter__(self) -> Iterator[bytes]:
        size = 0
        for chunk in self.stream:
            size += len(chunk)
            if size > self.limit:
                raise ResponseTooLarge(f"the response is larger than {self.limit} bytes")
            yield chunk

    def close(self) -> None:
        self.stream.close()


class CheckedTransport(httpx2.HTTPTransport):
    """httpx2's transport on ``_CheckedBackend``, every response cut at ``max_bytes``;
    environment proxies are ignored (they would connect for us, unchecked)."""

    def __init__(self, *, max_bytes: int):
        super().__init__(trust_env=False)
        self.max_bytes = max_bytes
        # httpx2 builds its pool without a way to name the network backend: the pool is
        # made again, as HTTPTransport makes it, on the checked one.
        self._pool = httpcore2.ConnectionPool(
            ssl_context=httpx2.create_ssl_context(trust_env=False),
            max_connections=4,
            max_keepalive_connections=2,
            network_backend=_CheckedBackend(),
        )

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        response = super().handle_request(request)
        stream = response.stream
        assert isinstance(stream, httpx2.SyncByteStream)
        return httpx2.Response(
            status_code=response.status_code,
            headers=response.headers,
            stream=_LimitedStream(stream, self.max_bytes),
            extensions=response.extensions,
        )


def checked_client(*, max_bytes: int = MAX_PAGE_BYTES, **kwargs: Any) -> httpx2.Client:
    """An httpx2 client for the harvester: checked addresses, ``HARVEST_TIMEOUT_SECONDS``
    per connect and read, at most ``max_bytes`` a response, redirects followed."""
    return httpx2.Client(
        transport=CheckedTransport(max_bytes=max_bytes),
        timeout=settings.HARVEST_TIMEOUT_SECONDS,
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        headers={"User-Agent": USER_AGENT},
        trust_env=False,
        **kwargs,
    )


def fetch(
    url: str, *, max_bytes: int, accept: str = "*/*", only_types: tuple[str, ...] = ()
) -> tuple[bytes, str] | None:
    """GETs ``url`` (http or https only) through a checked client: the body (at most
    ``max_bytes``, else ``ResponseTooLarge``; at most twice the timeout in all) and its
    content type. With ``only_types``, a response of another content type is not read and
    None is returned. Raises httpx2 errors (``AddressRefused`` among them) otherwise."""
    if httpx2.URL(url).scheme not in ("http", "https"):
        raise AddressRefused(f"{url}: only http and https are fetched")
    deadline = time.monotonic() + 2 * settings.HARVEST_TIMEOUT_SECONDS
    with (
        checked_client(max_bytes=max_bytes) as client,
        client.stream("GET", url, headers={"Accept": accept}) as response,
    ):
        response.raise_for_status()
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if only_types and content_type not in only_types:
            return None
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise ResponseTooLarge(f"the file is larger than {max_bytes} bytes")
        chunks = []
        for chunk in response.iter_bytes():
            chunks.append(chunk)
            if time.monotonic() > deadline:
                raise httpx2.ReadTimeout("the file took too long to download")
    return b"".join(chunks), content_type
