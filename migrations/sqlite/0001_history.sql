-- citecheck history store, version 1 (SQLite). Times are milliseconds since the Unix epoch.
-- Rows are keyed by natural keys (document path, citation id, source URL) so that every
-- write is an idempotent upsert and a transaction needs no generated ids.
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    run_key TEXT NOT NULL,
    state TEXT NOT NULL,
    owner TEXT,
    started_at INTEGER NOT NULL,
    finished_at INTEGER
);
CREATE INDEX runs_open ON runs (kind, run_key, state);
CREATE TABLE run_items (
    run_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    item TEXT NOT NULL,
    state TEXT NOT NULL,
    result TEXT,
    PRIMARY KEY (run_id, item)
);
CREATE TABLE documents (
    path TEXT PRIMARY KEY,
    title TEXT,
    content_hash TEXT NOT NULL,
    first_checked_at INTEGER NOT NULL,
    last_checked_at INTEGER NOT NULL,
    last_run_id INTEGER NOT NULL
);
CREATE TABLE citations (
    document_path TEXT NOT NULL,
    cid TEXT NOT NULL,
    kind TEXT NOT NULL,
    outlet TEXT,
    headline TEXT,
    url TEXT,
    cited_date TEXT,
    line INTEGER NOT NULL,
    col INTEGER NOT NULL,
    status TEXT NOT NULL,
    source_url TEXT,
    detail TEXT,
    run_id INTEGER NOT NULL,
    PRIMARY KEY (document_path, cid)
);
CREATE INDEX citations_source ON citations (source_url);
CREATE TABLE claims (
    document_path TEXT NOT NULL,
    kid TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    line INTEGER NOT NULL,
    col INTEGER NOT NULL,
    cited TEXT NOT NULL,
    PRIMARY KEY (document_path, kid)
);
CREATE TABLE verdicts (
    id INTEGER PRIMARY KEY,
    document_path TEXT NOT NULL,
    kid TEXT NOT NULL,
    run_id INTEGER NOT NULL,
    at INTEGER NOT NULL,
    verdict TEXT NOT NULL,
    score REAL NOT NULL,
    reasons TEXT NOT NULL,
    evidence TEXT NOT NULL,
    archived_url TEXT,
    UNIQUE (document_path, kid, run_id)
);
CREATE TABLE sources (
    url TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    state TEXT NOT NULL,
    first_seen_at INTEGER NOT NULL,
    last_checked_at INTEGER NOT NULL,
    next_due_at INTEGER NOT NULL,
    published TEXT,
    last_class TEXT,
    lease_owner TEXT,
    lease_until INTEGER
);
CREATE INDEX sources_due ON sources (next_due_at);
CREATE TABLE snapshots (
    id INTEGER PRIMARY KEY,
    source_url TEXT NOT NULL,
    check_key TEXT NOT NULL,
    run_id INTEGER NOT NULL,
    fetched_at INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    status INTEGER,
    final_url TEXT,
    content_type TEXT,
    etag TEXT,
    last_modified TEXT,
    content_hash TEXT,
    title TEXT,
    body TEXT,
    published TEXT,
    error TEXT,
    class TEXT,
    detail TEXT,
    archived_url TEXT,
    UNIQUE (source_url, check_key)
);
CREATE INDEX snapshots_source ON snapshots (source_url, fetched_at);
CREATE TABLE searches (
    document_path TEXT NOT NULL,
    cid TEXT NOT NULL,
    run_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    provider TEXT NOT NULL,
    query TEXT NOT NULL,
    domains TEXT NOT NULL,
    results TEXT NOT NULL,
    PRIMARY KEY (document_path, cid, run_id, seq, provider)
);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    event_key TEXT NOT NULL UNIQUE,
    run_id INTEGER NOT NULL,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    source_url TEXT,
    document_path TEXT,
    kid TEXT,
    old TEXT,
    new TEXT,
    detail TEXT
);
CREATE INDEX events_source ON events (source_url);
CREATE INDEX events_document ON events (document_path);
CREATE TABLE hosts (
    host TEXT PRIMARY KEY,
    next_allowed_at INTEGER NOT NULL
);
