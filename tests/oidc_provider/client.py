"""The portal's registration at the test provider, shared with the tests that point at it."""

CLIENT_ID = "portal"
CLIENT_SECRET = "portal-client-secret"
