echo "ok   errors (none yet)"
