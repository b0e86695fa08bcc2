"""The provider's claims: email, names and the user's groups (its Django groups) in the ID
token and at userinfo, as Entra ID sends `groups`. Two test users make tokens a provider must
never make, so the portal's checks can be seen to refuse them."""

import time

from oauth2_provider.oauth2_validators import OAuth2Validator

WRONG_AUDIENCE = "wrong-audience"
EXPIRED = "expired"


class GroupsValidator(OAuth2Validator):
    oidc_claim_scope = None  # every claim, whatever the scopes

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "preferred_username": user.username,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "groups": sorted(user.groups.values_list("name", flat=True)),
        }

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        if request.user.username == WRONG_AUDIENCE:
            claims["aud"] = "another-service"
        if request.user.username == EXPIRED:
            claims["exp"] = int(time.time()) - 3600
        return claims, expiration_time

    # prompt=none (the portal's SessionRefresh): answer at once while the user is signed in
    # here, as a real provider does; the portal's registration skips the consent page.
    def validate_silent_authorization(self, request):
        return True

    def validate_silent_login(self, request):
        # The authorisation view signs the user in first (LoginRequiredMixin), and answers
        # prompt=none without a sign-in here with login_required itself.
        return True
