"""docgen's system of record and front door: a Django project over the docgen library and the queue."""
