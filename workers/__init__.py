"""docgen's queue: Celery workers on Redis, thin adapters over the docgen library."""
