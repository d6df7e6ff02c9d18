"""django-allauth messages that our own Swedish catalogue overrides.

allauth ships a Swedish translation, but we want its pages to use the same
wording as the rest of the site, and one of its strings is wrong (the login
page's "sign up first" line is translated as "Already have an account? Then
log in"). Django searches ``LOCALE_PATHS`` before the installed apps, so an
entry for the same msgid in ``locale/sv/LC_MESSAGES/django.po`` wins.

``makemessages`` only keeps msgids it finds in the project's own sources and
drops the rest on every rerun. This module exists so that it finds these: each
msgid is marked with ``gettext_noop`` exactly as allauth spells it (see
``allauth/templates/account/login.html`` and allauth's own ``django.po``).
Nothing imports this module; it is read by ``makemessages`` only.

If allauth changes one of these msgids in a new release, update it here too,
or the override silently stops applying.

English has a catalogue of its own for the same purpose, kept by hand
(``locale/en/LC_MESSAGES/django.po``, compiled with ``compilemessages -l en``):
sentence case, "e-mail" and "Log in" where allauth writes "Reset My Password",
"Email" and "Sign In", and what to do where allauth says "contact us".
"""

from django.utils.translation import gettext_noop

ALLAUTH_OVERRIDES = (
    # allauth/templates/account/login.html (a blocktranslate with {{ link }} and {{ end_link }}).
    gettext_noop(
        "If you have not created an account yet, then please %(link)ssign up%(end_link)s first."
    ),
    gettext_noop("Sign In"),
    gettext_noop("Sign Out"),
    gettext_noop("Sign Up"),
    # allauth's Swedish writes "epost-adress" and "mail"; the site writes "e-postadress"
    # and "e-postmeddelande". These are the ones on the pages and in the e-mail of
    # signing up, logging in, resetting a password and managing addresses
    # (allauth/account/fields.py, adapter.py and templates/account/).
    gettext_noop("Email address"),
    gettext_noop("The email address and/or password you specified are not correct."),
    gettext_noop("A user is already registered with this email address."),
    gettext_noop(
        "Forgotten your password? Enter your email address below, and we'll send you an "
        "email allowing you to reset it."
    ),
    gettext_noop(
        "We have sent you an email. If you have not received it please check your spam "
        "folder. Otherwise contact us if you do not receive it in a few minutes."
    ),
    # "Contact us" leads nowhere here (there is no such address): the site says what to do.
    gettext_noop("Please contact us if you have any trouble resetting your password."),
    gettext_noop("Verify Your Email Address"),
    gettext_noop(
        "We have sent an email to you for verification. Follow the link provided to "
        "finalize the signup process. If you do not see the verification email in your main "
        "inbox, check your spam folder. Please contact us if you do not receive the "
        "verification email within a few minutes."
    ),
    gettext_noop("Confirm Email Address"),
    gettext_noop(
        'Please confirm that <a href="mailto:%(email)s">%(email)s</a> is an email address '
        "for user %(user_display)s."
    ),
    gettext_noop(
        'This email confirmation link expired or is invalid. Please <a href="%(email_url)s">'
        "issue a new email confirmation request</a>."
    ),
    gettext_noop("Confirmation email sent to %(email)s."),
    gettext_noop("Email Addresses"),
    gettext_noop("The following email addresses are associated with your account:"),
    gettext_noop("Add Email Address"),
    gettext_noop("Add Email"),
    gettext_noop("Do you really want to remove the selected email address?"),
    gettext_noop("Please Confirm Your Email Address"),
    gettext_noop(
        "You're receiving this email because user %(user_display)s has given your email "
        "address to register an account on %(site_domain)s."
    ),
)
