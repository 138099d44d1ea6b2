package api

import (
	"testing"
	"time"
)

func TestWhen(t *testing.T) {
	now := time.Date(2026, 12, 31, 17, 9, 18, 0, time.UTC)
	cet := time.FixedZone("CET", 3600)
	tests := []struct {
		name string
		t    time.Time
		now  time.Time
		want string
	}{
		{"later today", now.Add(6 * time.Hour), now, "at 23:09:18 UTC"},
		{"now", now, now, "at 17:09:18 UTC"},
		{"tomorrow, across the year", now.Add(23*time.Hour + 59*time.Minute),
			now, "tomorrow at 17:08:18 UTC"},
		{"in two days", now.Add(48 * time.Hour), now,
			"on 2027-01-02 at 17:09:18 UTC"},
		{"yesterday", now.Add(-24 * time.Hour), now,
			"on 2026-12-30 at 17:09:18 UTC"},
		{"the day is now's location's", now.Add(7 * time.Hour),
			now.In(cet), "tomorrow at 01:09:18 CET"},
	}
	for _, tt := range tests {
		if got := When(tt.t, tt.now); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}
