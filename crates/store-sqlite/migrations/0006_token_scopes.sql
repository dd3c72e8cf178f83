-- What each API token may do. Tokens made before scopes existed could do everything, and keep that.
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'admin' CHECK (scope IN ('read', 'book', 'admin'));
