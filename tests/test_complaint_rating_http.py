"""The customer's side of a complaint's resolution email, over HTTP: the
1-5 star links and the comment form of the public rating page."""
import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest


@pytest.fixture(scope="module")
def rated_complaint(odoo_server):
    """A resolved complaint whose resolution was emailed: its id and the
    token of its rating request."""
    call = odoo_server.rpc()
    partner_id = call("res.partner", "create", {
        "name": "HTTP Rating Customer", "email": "rating.customer@example.com",
        "customer": True, "is_company": True})
    complaint_id = call("crm.complaint", "create", {
        "partner_id": partner_id, "description": "The parcel arrived open.",
        "resolution_type": "replacement", "resolution": "We sent a new parcel."})
    resolved = call("ir.model.data", "xmlid_to_res_id", "crm_ext.crm_complaint_stage_resolved")
    call("crm.complaint", "write", [complaint_id], {"stage_id": resolved})
    call("crm.complaint", "action_send_resolution", [complaint_id])
    ratings = call("rating.rating", "search_read",
                   [("res_model", "=", "crm.complaint"), ("res_id", "=", complaint_id)],
                   fields=["access_token"])
    assert len(ratings) == 1
    return call, complaint_id, ratings[0]["access_token"]


def _complaint(call, complaint_id):
    return call("crm.complaint", "read", [complaint_id],
                fields=["customer_rating", "rating_comment"])[0]


def test_a_star_link_rates_the_complaint_and_the_form_adds_a_comment(
        odoo_server, rated_complaint):
    call, complaint_id, token = rated_complaint
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    url = "%s/complaint/rating/%s/4" % (odoo_server.url, token)
    with opener.open(url, timeout=30) as response:
        assert response.status == 200
        page = response.read().decode("utf-8")
    assert _complaint(call, complaint_id)["customer_rating"] == 4
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf, "the page offers the comment form"
    data = urllib.parse.urlencode({"csrf_token": csrf.group(1),
                                   "feedback": "Fast and friendly."}).encode()
    with opener.open(url + "/submit", data=data, timeout=30) as response:
        assert response.status == 200
    values = _complaint(call, complaint_id)
    assert (values["customer_rating"], values["rating_comment"]) == (4, "Fast and friendly.")


@pytest.mark.parametrize("path", ["/complaint/rating/%(token)s/7",
                                  "/complaint/rating/not-a-token/3"])
def test_a_wrong_link_is_not_found_and_changes_nothing(odoo_server, rated_complaint, path):
    call, complaint_id, token = rated_complaint
    before = _complaint(call, complaint_id)
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(odoo_server.url + path % {"token": token}, timeout=30)
    assert error.value.code == 404
    assert _complaint(call, complaint_id) == before
