"""HTTP API v1 (contracts §7): `create_app` in api/app.py; routes in api/routes/, services beside them."""
