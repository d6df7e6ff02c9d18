"""What beat runs, and when: every periodic task of the project in one place."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "heartbeat": {"task": "config.celery_app.heartbeat", "schedule": crontab()},
    "sweep-deliveries": {"task": "notifications.tasks.sweep", "schedule": crontab()},
    # Nightly, when nobody is sending: deletes in chunks, see accounts.services.
    "purge-expired-records": {
        "task": "accounts.tasks.purge_expired_records",
        "schedule": crontab(hour=3, minute=17),
    },
    # Each decides itself whether it is its turn to call the provider (official.fetching).
    "import-police-events": {"task": "official.tasks.import_police_events", "schedule": crontab()},
    "import-crisis-news": {"task": "official.tasks.import_crisis_news", "schedule": crontab()},
    "import-public-warnings": {
        "task": "official.tasks.import_public_warnings",
        "schedule": crontab(),
    },
    "remind-area-confirmations": {
        "task": "watch.tasks.remind_area_confirmations",
        "schedule": crontab(hour=9, minute=5),
    },
    "remind-areas-without-signs": {
        "task": "watch.tasks.remind_coordinators_of_areas_without_signs",
        "schedule": crontab(day_of_month=1, hour=9, minute=10),
    },
    "purge-away-notices": {
        "task": "watch.tasks.purge_away_notices",
        "schedule": crontab(hour=3, minute=41),
    },
}
