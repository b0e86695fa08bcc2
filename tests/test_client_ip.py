"""Who is asking: the client's address, behind the proxies the portal trusts and no others."""

from django.test import RequestFactory

from config.http import client_ip


def request_from(remote_addr: str, forwarded_for: str | None = None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **headers)


def test_without_a_trusted_proxy_the_client_is_the_remote_address(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    ip = client_ip(request_from("192.0.2.1", forwarded_for="203.0.113.10"))

    assert ip == "192.0.2.1"


def test_behind_one_proxy_the_client_is_the_address_it_added(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    ip = client_ip(request_from("10.0.0.5", forwarded_for="203.0.113.10"))

    assert ip == "203.0.113.10"


def test_behind_one_proxy_a_forged_left_hand_entry_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    ip = client_ip(request_from("10.0.0.5", forwarded_for="198.51.100.99, 203.0.113.10"))

    assert ip == "203.0.113.10"


def test_behind_two_proxies_the_client_is_second_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    ip = client_ip(request_from("10.0.0.6", forwarded_for="198.51.100.99, 203.0.113.10, 10.0.0.5"))

    assert ip == "203.0.113.10"


def test_too_few_forwarded_entries_fall_back_to_the_remote_address(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    ip = client_ip(request_from("10.0.0.6", forwarded_for="203.0.113.10"))

    assert ip == "10.0.0.6"


def test_a_missing_forwarded_header_falls_back_to_the_remote_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    ip = client_ip(request_from("10.0.0.5"))

    assert ip == "10.0.0.5"


def test_blank_forwarded_entries_are_not_counted(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    ip = client_ip(request_from("10.0.0.5", forwarded_for=" , "))

    assert ip == "10.0.0.5"
