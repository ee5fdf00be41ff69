from oauth2_provider.oauth2_validators import OAuth2Validator

from devtools.oidc_provider.models import Claims


class ClaimsValidator(OAuth2Validator):
    """Adds the person's name, e-mail address, its verification and groups to the ID token and
    the userinfo answer, as Entra ID, Okta, Google or Keycloak would."""

    # django-oauth-toolkit drops a claim that no scope names; groups come with "profile".
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "groups": "profile"}

    def get_additional_claims(self, request):
        claims = Claims.objects.filter(user=request.user).first()
        return {
            "name": claims.name if claims else request.user.username,
            "email": request.user.email,
            "email_verified": claims.email_verified if claims else False,
            "groups": list(claims.groups) if claims else [],
        }
