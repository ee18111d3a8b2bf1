"""The "Users and auth" section of API.md, every status and error code, through nginx."""
import uuid

from conftest import assert_problem, unique_email


def test_register_returns_the_user(client):
    email = unique_email("reg")
    response = client.post("/users/register", {"email": email, "password": "correct horse", "name": "Ann"})
    assert response.status_code == 201
    user = response.json()
    assert user["email"] == email and user["name"] == "Ann" and user["role"] == "customer"
    assert user["phone"] is None and user["addresses"] == []
    uuid.UUID(user["id"])
    assert user["created_at"].endswith("Z")


def test_register_ignores_protected_fields(client):
    email = unique_email("prot")
    forged = str(uuid.uuid4())
    response = client.post("/users/register", {"email": email, "password": "correct horse", "name": "M",
                                               "role": "admin", "id": forged, "created_at": "2000-01-01T00:00:00Z"})
    assert response.status_code == 201
    assert response.json()["role"] == "customer"
    assert response.json()["id"] != forged


def test_email_taken_regardless_of_case(client):
    email, _, _ = client.register()
    response = client.post("/users/register", {"email": email.upper(), "password": "another secret", "name": "B"})
    assert_problem(response, 409, "email_taken")


def test_register_validation(client):
    cases = [
        {"email": "not-an-email", "password": "correct horse", "name": "A"},
        {"email": unique_email(), "password": "short", "name": "A"},
        {"email": unique_email(), "password": "password123", "name": "A"},
        {"email": unique_email(), "password": "correct horse", "name": ""},
        {"email": unique_email(), "password": "correct horse"},
        {"email": 42, "password": "correct horse", "name": "A"},
    ]
    for body in cases:
        problem = assert_problem(client.post("/users/register", body), 400, "validation_failed")
        assert problem["errors"], problem


def test_malformed_json_and_oversized_bodies(client):
    response = client.http.post(client_url("/users/register"), data="{not json", timeout=10)
    assert_problem(response, 400, "malformed_json")
    response = client.http.post(client_url("/users/register"), data="x" * (1024 * 1024 + 10), timeout=10)
    assert_problem(response, 413, "payload_too_large")


def client_url(path):
    from conftest import API
    return API + path


def test_login_returns_a_token_pair(client):
    email, password, _ = client.register()
    tokens = client.login(email.upper(), password)
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 900
    assert tokens["access_token"].count(".") == 2 and tokens["refresh_token"]


def test_wrong_credentials_same_answer_whether_or_not_the_email_exists(client):
    email, _, _ = client.register()
    wrong = client.post("/auth/login", {"email": email, "password": "wrong password"})
    unknown = client.post("/auth/login", {"email": unique_email("ghost"), "password": "wrong password"})
    a = assert_problem(wrong, 401, "invalid_credentials")
    b = assert_problem(unknown, 401, "invalid_credentials")
    assert a["detail"] == b["detail"]


def test_repeated_failures_are_throttled(client):
    email, password, _ = client.register()
    for _ in range(10):
        assert_problem(client.post("/auth/login", {"email": email, "password": "nope nope"}), 401, "invalid_credentials")
    response = client.post("/auth/login", {"email": email, "password": password})
    assert_problem(response, 429, "too_many_requests")
    assert int(response.headers["Retry-After"]) > 0


def test_refresh_rotates_and_reuse_revokes_the_family(client, user):
    _, _, _, tokens = user
    response = client.post("/auth/refresh", {"refresh_token": tokens["refresh_token"]})
    assert response.status_code == 200
    rotated = response.json()
    assert rotated["refresh_token"] != tokens["refresh_token"]
    assert rotated["token_type"] == "Bearer"
    # The spent token again: refused, and every token of its family with it.
    assert_problem(client.post("/auth/refresh", {"refresh_token": tokens["refresh_token"]}), 401, "unauthorized")
    assert_problem(client.post("/auth/refresh", {"refresh_token": rotated["refresh_token"]}), 401, "unauthorized")


def test_refresh_validation(client):
    assert_problem(client.post("/auth/refresh", {}), 400, "validation_failed")
    assert_problem(client.post("/auth/refresh", {"refresh_token": "rt_made_up"}), 401, "unauthorized")


def test_logout_spends_the_refresh_token(client, user):
    _, _, _, tokens = user
    response = client.post("/auth/logout", {"refresh_token": tokens["refresh_token"]})
    assert response.status_code == 204
    assert_problem(client.post("/auth/refresh", {"refresh_token": tokens["refresh_token"]}), 401, "unauthorized")


def test_profile_read_and_update(client, user):
    email, _, profile, tokens = user
    me = client.get("/users/me", token=tokens["access_token"])
    assert me.status_code == 200
    assert me.json()["id"] == profile["id"] and me.json()["email"] == email
    response = client.patch("/users/me", {"name": "New Name", "phone": "+1 555 0100 200",
                                           "role": "admin", "email": "forged@example.com", "id": str(uuid.uuid4())},
                            token=tokens["access_token"])
    assert response.status_code == 200
    updated = response.json()
    assert updated["name"] == "New Name" and updated["phone"] == "+1 555 0100 200"
    assert updated["role"] == "customer" and updated["email"] == email and updated["id"] == profile["id"]
    problem = assert_problem(client.patch("/users/me", {"phone": "call me"}, token=tokens["access_token"]),
                             400, "validation_failed")
    assert problem["errors"][0]["field"] == "phone"


def test_addresses(client, user):
    _, _, _, tokens = user
    token = tokens["access_token"]
    created = client.post("/users/me/addresses", {"line1": "1 Main St", "city": "Springfield",
                                                  "postal_code": "12345", "country": "us"}, token=token)
    assert created.status_code == 201
    address = created.json()
    assert address["is_default"] is True and address["country"] == "US" and address["line2"] is None
    listed = client.get("/users/me/addresses", token=token).json()
    assert [a["id"] for a in listed["items"]] == [address["id"]] and listed["next_cursor"] is None
    assert client.get("/users/me", token=token).json()["addresses"][0]["id"] == address["id"]
    assert_problem(client.post("/users/me/addresses", {"line1": "x", "city": "y", "postal_code": "1",
                                                       "country": "Narnia"}, token=token), 400, "validation_failed")
    assert_problem(client.post("/users/me/addresses", {"city": "y"}, token=token), 400, "validation_failed")
    assert client.delete(f"/users/me/addresses/{address['id']}", token=token).status_code == 204
    assert_problem(client.delete(f"/users/me/addresses/{address['id']}", token=token), 404, "not_found")


def test_another_users_address_is_not_found(client, user):
    _, _, _, owner = user
    address = client.post("/users/me/addresses", {"line1": "1 Main St", "city": "Springfield",
                                                  "postal_code": "12345", "country": "US"},
                          token=owner["access_token"]).json()
    email, password, _ = client.register()
    intruder = client.login(email, password)
    assert_problem(client.delete(f"/users/me/addresses/{address['id']}", token=intruder["access_token"]),
                   404, "not_found")
    assert client.get("/users/me/addresses", token=intruder["access_token"]).json()["items"] == []
    assert_problem(client.delete("/users/me/addresses/not-a-uuid", token=intruder["access_token"]), 404, "not_found")


def test_protected_routes_need_a_token(client):
    for call in (lambda: client.get("/users/me"), lambda: client.patch("/users/me", {"name": "x"}),
                 lambda: client.get("/users/me/addresses"),
                 lambda: client.delete(f"/users/me/addresses/{uuid.uuid4()}")):
        response = call()
        assert_problem(response, 401, "unauthorized")
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_text_postgresql_cannot_store_is_refused_not_a_server_error(client):
    response = client.post("/users/register", {"email": unique_email(), "password": "correct horse battery",
                                               "name": "Nul\u0000Name"})
    body = assert_problem(response, 400, "validation_failed")
    assert any(error["field"] == "name" for error in body.get("errors", []))
