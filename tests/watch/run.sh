#!/bin/sh
# Watch mode (build --watch, pack --watch) driven as an author drives it:
# tests/watch/watch.py says what it checks. Prints "ok ..." or "FAIL ..."
# per check.
cd "$(dirname "$0")/../.." || exit 3
bin=${SC_BIN:-./scrutineer}
exec /usr/bin/python3 tests/watch/watch.py "$bin"
