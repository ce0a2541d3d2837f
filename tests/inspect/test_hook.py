"""The Flask hook: what a receiver got and answered, redacted, capped, whatever the request."""

def only(ring) -> dict:
    [doc] = ring.page()[0]
    return doc


def test_it_records_the_request_and_the_answer(client, ring):
    client.post("/scim/Users?x=1", json={"userName": "ada@example.com"}, headers={"Authorization": "Bearer tok-123456"})
    doc = only(ring)
    assert (doc["method"], doc["path"], doc["status"]) == ("POST", "/scim/Users?x=1", 201)
    assert doc["body"] == doc["response_body"] == {"userName": "ada@example.com"}
    assert doc["headers"]["Authorization"] == "Bearer [redacted]"
    assert doc["time"] == "2026-01-01T12:00:00.000Z"


def test_refusals_are_recorded_with_their_status_and_body(client, ring):
    client.get("/scim/Users?status=401")
    doc = only(ring)
    assert doc["status"] == 401 and doc["response_body"] == {"detail": "refused"} and doc["body"] is None


def test_a_token_echoed_in_the_path_or_a_body_is_redacted_there_too(client, ring):
    token = "s3cr3t-token-0001"
    client.post(f"/scim/Users?access_token={token}", data=f'{{"note": "{token}"}}',
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    text = str(only(ring))
    assert token not in text and "[redacted]" in text


def test_a_body_that_is_not_json_is_kept_as_text(client, ring):
    client.post("/scim/Users", data=b"\xff not json", headers={"Content-Type": "application/json"})
    assert only(ring)["body"] == "\ufffd not json"


def test_a_large_body_is_cut_without_being_parsed(client, ring):
    client.post("/scim/Users", json={"userName": "x" * 5000})
    doc = only(ring)
    assert isinstance(doc["body"], str) and len(doc["body"]) == 204 and doc["truncated"]["body"] == len('{"userName": "') + 5000 + 2


def test_a_body_over_the_app_s_limit_is_refused_and_recorded_unread(client, ring):
    response = client.post("/scim/Users", data=b"x" * (2 * 1024 * 1024))
    assert response.status_code == 413
    assert only(ring)["status"] == 413 and only(ring)["body"] is None


def test_other_paths_are_not_recorded(client, ring):
    client.get("/other")
    assert ring.recorded == 0
