"""The portal's registration at the test provider: a confidential client with RS256 ID tokens,
redirected to /oidc/callback/ on the test client's host or any localhost port."""

from django.core.management.base import BaseCommand
from oauth2_provider.models import Application

from tests.oidc_provider.client import CLIENT_ID, CLIENT_SECRET

REDIRECT_URIS = " ".join(
    [
        "http://testserver/oidc/callback/",
        "http://localhost/oidc/callback/",
        "http://127.0.0.1/oidc/callback/",
    ]
)

# Where the provider sends the browser after signing out at the portal's request.
POST_LOGOUT_REDIRECT_URIS = "http://testserver/ http://localhost/ http://127.0.0.1/"


class Command(BaseCommand):
    def handle(self, *args, **options) -> None:
        Application.objects.filter(client_id=CLIENT_ID).delete()
        Application.objects.create(
            name="Neighbourhood Portal",
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            algorithm=Application.RS256_ALGORITHM,
            redirect_uris=REDIRECT_URIS,
            post_logout_redirect_uris=POST_LOGOUT_REDIRECT_URIS,
            skip_authorization=True,
        )
