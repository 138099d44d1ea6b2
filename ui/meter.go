package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/ahunt/ahunt/api"
	"github.com/charmbracelet/x/ansi"
)

const barCells = 5

// meterView draws the quota meter on one line of width w: calls in the
// last minute and running time in the hour and the day, each as numbers
// and a small bar, then any wait, throttle or spent budget with its
// countdown. It drops the bars, then the labels, when w is too narrow.
func meterView(st *Styles, s api.BudgetState, now time.Time, w int) string {
	if s.Limits.Unlimited {
		return fit(st.Muted.Render("quota: unlimited (demo tenant)"), w)
	}
	gs := gauges(s)
	note := meterNote(st, s, now)
	for _, v := range []struct{ bars, labels bool }{
		{true, true}, {false, true}, {false, false},
	} {
		line := meterLine(st, gs, v.bars, v.labels)
		if note != "" {
			line += "  " + note
		}
		if ansi.StringWidth(line) <= w {
			return fit(line, w)
		}
	}
	if note != "" {
		return fit(note, w) // the countdown matters more than the bars
	}
	return fit(meterLine(st, gs[:1], false, false), w)
}

// gauge is one budget: what is used of what limit, and the fraction.
type gauge struct {
	label, used, limit string
	frac               float64
}

func gauges(s api.BudgetState) []gauge {
	l := s.Limits
	return []gauge{
		{"calls", fmt.Sprint(s.Calls), fmt.Sprint(l.CallsPerMinute),
			ratio(float64(s.Calls), float64(l.CallsPerMinute))},
		{"hour", shortDuration(s.RuntimeHour),
			shortDuration(l.RuntimePerHour),
			ratio(float64(s.RuntimeHour), float64(l.RuntimePerHour))},
		{"day", shortDuration(s.RuntimeDay),
			shortDuration(l.RuntimePerDay),
			ratio(float64(s.RuntimeDay), float64(l.RuntimePerDay))},
	}
}

// meterLine draws the gauges, each coloured by how much is used.
func meterLine(st *Styles, gs []gauge, bars, labels bool) string {
	parts := make([]string, 0, len(gs))
	for _, g := range gs {
		text := g.used + "/" + g.limit
		if labels {
			text = g.label + " " + text
		}
		if bars {
			text += " " + bar(g.frac)
		}
		parts = append(parts, fracStyle(st, g.frac).Render(text))
	}
	return strings.Join(parts, "  ")
}

// meterNote explains why a run waits or cannot start, with a countdown.
func meterNote(st *Styles, s api.BudgetState, now time.Time) string {
	switch {
	case s.Spent != "":
		return st.MeterHigh.Render(fmt.Sprintf("%s budget spent, frees %s",
			s.Spent, until(s.FreesAt, now)))
	case s.Throttled:
		msg := "throttled " + until(s.ThrottledUntil, now)
		if s.ThrottleReason != "" {
			msg += ": " + clean(s.ThrottleReason)
		}
		return st.MeterHigh.Render(msg)
	case s.Waiting:
		return st.MeterMid.Render("waiting for a call slot " +
			until(s.WaitUntil, now))
	}
	return ""
}

// until renders a moment as "at 15:04:05 (in 12s)", with "tomorrow" or
// the date when it is not today.
func until(t, now time.Time) string {
	if t.IsZero() {
		return "soon"
	}
	left := max(t.Sub(now), 0)
	return fmt.Sprintf("%s (in %s)", clockDay(t, now),
		shortDuration(left.Round(time.Second)))
}

// clockDay is "at 15:04:05", "tomorrow at 15:04:05" or "on 2006-01-02 at
// 15:04:05", t read in now's time zone.
func clockDay(t, now time.Time) string {
	t = t.In(now.Location())
	at := "at " + t.Format(time.TimeOnly)
	switch {
	case sameDay(t, now):
		return at
	case t.After(now) && sameDay(t, now.AddDate(0, 0, 1)):
		return "tomorrow " + at
	}
	return "on " + t.Format(time.DateOnly) + " " + at
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

func ratio(used, limit float64) float64 {
	if limit <= 0 {
		return 0
	}
	return min(used/limit, 1)
}

func fracStyle(st *Styles, f float64) lipgloss.Style {
	switch {
	case f >= 0.85:
		return st.MeterHigh
	case f >= 0.6:
		return st.MeterMid
	}
	return st.MeterLow
}

// bar draws f (0 to 1) as barCells cells, rounded half up; a block
// shows only once use reaches one block's share, so a little use does
// not look like a fifth of the budget.
func bar(f float64) string {
	n := int(f*barCells + 0.5)
	if f < 1.0/barCells {
		n = 0
	}
	return strings.Repeat("█", n) + strings.Repeat("░", barCells-n)
}

// shortDuration renders d the short way: "45s", "1m20s", "15m", "4h".
func shortDuration(d time.Duration) string {
	if d < time.Second {
		if d == 0 {
			return "0s"
		}
		return d.Round(time.Millisecond).String()
	}
	s := d.Round(time.Second).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
