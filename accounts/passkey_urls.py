"""Sign-up with a passkey, with the address confirmed by the e-mailed link.

allauth's own switch for it, ``MFA_PASSKEY_SIGNUP_ENABLED``, also requires every sign-up
to confirm the address with a typed code instead of the link (its system check): the
passkey is made at the end of the login that confirming the address continues, and that
login lives in the session, which a link opened in another browser does not have. Here
the link stays, for everyone: these are allauth's two views under allauth's URL names,
and ``accounts.adapter.AccountAdapter.get_login_stages`` adds allauth's passkey step.
Opened in another browser, the link confirms the address but does not log in; with no
password and no passkey yet, "Forgot your password?" is the way in (README "Passkeys").
"""

from allauth.account.views import signup_by_passkey
from allauth.mfa.webauthn.views import signup_webauthn
from django.urls import path

urlpatterns = [
    path("signup/passkey/", signup_by_passkey, name="account_signup_by_passkey"),
    path("2fa/webauthn/signup/", signup_webauthn, name="mfa_signup_webauthn"),
]
