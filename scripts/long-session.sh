#!/bin/sh
# long-session.sh [COMMANDS] — plays a long sandbox session through the k8slearn binary and prints
# its peak RSS: COMMANDS lines (20,000 by default) of create deployment / run / scale / run /
# delete / run, the session of BenchmarkLongSession (cmd/sandbox), which reports the timing of its
# first and last thousand commands:
#
#   go test ./cmd/sandbox -run '^$' -bench LongSession -benchtime 1x
#
# It fails when the peak RSS exceeds MAX_RSS_MB (200 by default). Needs GNU time (/usr/bin/time;
# on Debian: apt-get install time).
set -eu

commands=${1:-20000}
max_rss_mb=${MAX_RSS_MB:-200}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ ! -x /usr/bin/time ]; then
	echo "long-session.sh: /usr/bin/time (GNU time) is missing" >&2
	exit 2
fi
(cd "$root" && go build -o "$work/k8slearn" ./cmd/k8slearn)

awk -v n="$commands" 'BEGIN {
	for (i = 0; i < n; i++) {
		c = int(i / 6)
		r = i % 6
		if (r == 0) print "create deployment web" c " --image=nginx --replicas=3"
		else if (r == 2) print "scale deployment web" c " --replicas=5"
		else if (r == 4) print "delete deployment web" c
		else print "run"
	}
}' >"$work/commands.txt"

/usr/bin/time -v "$work/k8slearn" sandbox --plain --seed 1 <"$work/commands.txt" >"$work/transcript.txt" 2>"$work/time.txt"

rss_kb=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$work/time.txt")
elapsed=$(sed -n 's/^[[:space:]]*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt")
user=$(sed -n 's/^[[:space:]]*User time (seconds): //p' "$work/time.txt")
rss_mb=$((rss_kb / 1024))
echo "$commands commands: peak RSS $rss_mb MB, elapsed $elapsed, user ${user}s"
echo "last line: $(tail -n 1 "$work/transcript.txt")"
if [ "$rss_mb" -gt "$max_rss_mb" ]; then
	echo "long-session.sh: peak RSS $rss_mb MB is over $max_rss_mb MB" >&2
	exit 1
fi
