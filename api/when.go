package api

import "time"

// When says when t comes, seen from now, as a phrase for an analyst: "at
// 17:09:18 UTC" on the same day, "tomorrow at 17:09:18 UTC" on the next,
// and "on 2026-12-05 at 17:09:18 UTC" on any other. Days and the time
// shown are those of now's location.
func When(t, now time.Time) string {
	t = t.In(now.Location())
	clock := t.Format("15:04:05 MST")
	switch day(t) {
	case day(now):
		return "at " + clock
	case day(now.AddDate(0, 0, 1)):
		return "tomorrow at " + clock
	}
	return "on " + t.Format(time.DateOnly) + " at " + clock
}

// day is t's calendar date.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
