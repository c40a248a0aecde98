"""The harvester reaches only public addresses over http(s), unless the setting allows
private ones (the tests' own server is on loopback)."""

import pytest

from publications.harvest.network import AddressRefused, checked_addresses, fetch


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "10.1.2.3", "192.168.0.10", "169.254.169.254", "::1", "::ffff:127.0.0.1",
     "0.0.0.0", "100.64.0.1", "localhost"],
)  # fmt: skip
def test_loopback_private_and_link_local_addresses_are_refused(settings, host):
    settings.HARVEST_ALLOW_PRIVATE_ADDRESSES = False

    with pytest.raises(AddressRefused, match="loopback, private or reserved address"):
        checked_addresses(host, 80)


def test_a_public_address_is_allowed(settings):
    settings.HARVEST_ALLOW_PRIVATE_ADDRESSES = False

    assert checked_addresses("93.184.215.14", 443) == ["93.184.215.14"]


def test_private_addresses_are_allowed_only_by_the_setting(settings):
    settings.HARVEST_ALLOW_PRIVATE_ADDRESSES = True

    assert checked_addresses("127.0.0.1", 80) == ["127.0.0.1"]


def test_a_pdf_on_a_private_address_is_not_fetched(settings, oai):
    settings.HARVEST_ALLOW_PRIVATE_ADDRESSES = False
    oai.files["/files/a.pdf"] = ("application/pdf", b"%PDF-1.4")

    with pytest.raises(AddressRefused, match=r"\A127\.0\.0\.1 resolves to a loopback"):
        fetch(oai.file_url("/files/a.pdf"), max_bytes=1000)
    assert oai.requests == []


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/a.pdf", "file:///etc/passwd"])
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(AddressRefused, match="only http and https are fetched"):
        fetch(url, max_bytes=1000)
