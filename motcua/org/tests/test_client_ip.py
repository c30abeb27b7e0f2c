"""`client_ip` behind a proxy: the X-Forwarded-For entry the trusted proxy wrote, not the one a client forged."""

from __future__ import annotations

from django.test import RequestFactory, override_settings

from motcua.org.middleware import client_ip


def _request(forwarded: str | None, remote: str = "10.0.0.5"):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@override_settings(TRUST_X_FORWARDED_FOR=False)
def test_header_ignored_unless_trusted():
    assert client_ip(_request("203.0.113.9")) == "10.0.0.5"


@override_settings(TRUST_X_FORWARDED_FOR=True, TRUSTED_PROXY_HOPS=1)
def test_one_hop_takes_rightmost_entry_not_the_spoofed_leftmost():
    # The client sent "X-Forwarded-For: 1.2.3.4"; nginx ($proxy_add_x_forwarded_for) appended what it saw.
    assert client_ip(_request("1.2.3.4, 198.51.100.7")) == "198.51.100.7"
    assert client_ip(_request("198.51.100.7")) == "198.51.100.7"
    assert client_ip(_request(" 1.2.3.4 ,198.51.100.7 , ")) == "198.51.100.7"


@override_settings(TRUST_X_FORWARDED_FOR=True)
def test_default_is_one_hop(settings):
    del settings.TRUSTED_PROXY_HOPS
    assert client_ip(_request("1.2.3.4, 198.51.100.7")) == "198.51.100.7"


@override_settings(TRUST_X_FORWARDED_FOR=True, TRUSTED_PROXY_HOPS=2)
def test_two_hops_load_balancer_then_nginx():
    # forged, client seen by the load balancer, load balancer seen by nginx
    assert client_ip(_request("1.2.3.4, 198.51.100.7, 10.0.0.2")) == "198.51.100.7"
    # fewer entries than hops: the leftmost one (every entry was written by a trusted proxy)
    assert client_ip(_request("198.51.100.7")) == "198.51.100.7"


@override_settings(TRUST_X_FORWARDED_FOR=True, TRUSTED_PROXY_HOPS=1)
def test_missing_or_garbage_header_falls_back_to_remote_addr():
    assert client_ip(_request(None)) == "10.0.0.5"
    assert client_ip(_request("")) == "10.0.0.5"
    assert client_ip(_request("1.2.3.4, not-an-ip")) == "10.0.0.5"
    assert client_ip(_request("2001:db8::1")) == "2001:db8::1"
