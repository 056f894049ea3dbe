"""OpenLineage in and out: asset-to-dataset naming, event building, ingestion, and the HTTP exporter."""

#: Identifies this service as the producer of every event and facet it writes.
PRODUCER = "https://github.com/lineage-service/lineage"
#: Symlink namespace of an asset id, per tenant: `kestra://<tenant>`; ingest follows such symlinks back.
KESTRA_SYMLINK_SCHEME = "kestra://"
