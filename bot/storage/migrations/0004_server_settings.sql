-- Placeholder on branch teach9 only: migration 0004 belongs to the settings9
-- branch (per-server settings), which ships the real file under this name.
-- When merging, keep settings9's version of this file.
SELECT 1;
