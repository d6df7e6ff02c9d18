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
)
