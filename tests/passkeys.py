"""A passkey in software, for the tests: what a phone does when a page asks for one.

``SoftPasskey`` answers allauth's WebAuthn options as an authenticator would (an ES256 key,
"none" attestation, user present and verified), so tests without a browser can register a
passkey, log in with it and store one for a user; ``cdp_credential`` hands the same key to
Chromium's virtual authenticator (DevTools ``WebAuthn.addCredential``), so a browser test can
use a passkey the database already holds.
"""

from __future__ import annotations

import base64
import json
import os
import re
from typing import Any

from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.utils import sha256
from fido2.webauthn import (
    AttestationObject,
    AttestedCredentialData,
    AuthenticationExtensionsClientOutputs,
    AuthenticationResponse,
    AuthenticatorAssertionResponse,
    AuthenticatorAttestationResponse,
    AuthenticatorData,
    CollectedClientData,
    RegistrationResponse,
)

from accounts.models import User

# The Django test client's host: allauth makes it the passkey's site (the RP ID), and fido2
# accepts it as an origin over https (http only for localhost).
TEST_RP_ID = "testserver"
TEST_ORIGIN = "https://testserver"
FLAGS = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV


class SoftPasskey:
    def __init__(self, user: User, *, rp_id: str = TEST_RP_ID, origin: str = TEST_ORIGIN):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.user_handle = user_pk_to_url_str(user).encode()
        self.rp_id, self.origin = rp_id, origin
        self.counter = 0

    def registration(self, challenge: str, *, resident: bool = True) -> dict[str, Any]:
        """The browser's answer to ``navigator.credentials.create`` (as webauthn-json sends it)."""
        public_key = ES256.from_cryptography_key(self.key.public_key())
        credential = AttestedCredentialData.create(b"\0" * 16, self.credential_id, public_key)
        auth_data = AuthenticatorData.create(
            sha256(self.rp_id.encode()), FLAGS | AuthenticatorData.FLAG.AT, 0, credential
        )
        response = RegistrationResponse(
            raw_id=self.credential_id,
            response=AuthenticatorAttestationResponse(
                client_data=CollectedClientData.create("webauthn.create", challenge, self.origin),
                attestation_object=AttestationObject.create("none", auth_data, {}),
            ),
            client_extension_results=AuthenticationExtensionsClientOutputs(
                {"credProps": {"rk": resident}}
            ),
        )
        return json.loads(json.dumps(dict(response)))

    def assertion(self, challenge: str) -> dict[str, Any]:
        """The browser's answer to ``navigator.credentials.get``."""
        self.counter += 1
        auth_data = AuthenticatorData.create(sha256(self.rp_id.encode()), FLAGS, self.counter)
        client_data = CollectedClientData.create("webauthn.get", challenge, self.origin)
        signature = self.key.sign(auth_data + client_data.hash, ec.ECDSA(hashes.SHA256()))
        response = AuthenticationResponse(
            raw_id=self.credential_id,
            response=AuthenticatorAssertionResponse(
                client_data=client_data,
                authenticator_data=auth_data,
                signature=signature,
                user_handle=self.user_handle,
            ),
        )
        return json.loads(json.dumps(dict(response)))

    def store(self, user: User, name: str = "Min telefon") -> Authenticator:
        """The passkey as allauth keeps it after a registration."""
        return Authenticator.objects.create(
            user=user,
            type=Authenticator.Type.WEBAUTHN,
            data={"name": name, "credential": self.registration("c3RvcmVk")},
        )

    def cdp_credential(self) -> dict[str, Any]:
        """The passkey for DevTools' ``WebAuthn.addCredential`` (binary fields in base64)."""
        private_key = self.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return {
            "credentialId": base64.b64encode(self.credential_id).decode(),
            "isResidentCredential": True,
            "rpId": self.rp_id,
            "privateKey": base64.b64encode(private_key).decode(),
            "userHandle": base64.b64encode(self.user_handle).decode(),
            "signCount": self.counter,
        }


def passkey_for(user: User, **kwargs: Any) -> SoftPasskey:
    """A user with a passkey (their only authenticator unless they have others)."""
    passkey = SoftPasskey(user, **kwargs)
    passkey.store(user)
    return passkey


def js_data(html: str) -> dict[str, Any]:
    """The WebAuthn options a page hands allauth's webauthn.js (its ``js_data`` block)."""
    found = re.search(r'<script id="js_data" type="application/json">(.*?)</script>', html, re.S)
    assert found, "no js_data on the page"
    return json.loads(found.group(1))


def challenge_of(options: dict[str, Any]) -> str:
    return options["publicKey"]["challenge"]
