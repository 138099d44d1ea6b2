package ui

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/dustin/go-humanize"
)

// width is the display width of s, which may hold ANSI styles; plain
// ASCII, most of what a grid draws, is measured without the grapheme
// rules.
func width(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] == 0x1b {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

// fit truncates s to w display columns with an ellipsis and pads it with
// spaces to exactly w columns. s may hold ANSI styles.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := width(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = width(s)
	}
	if sw < w {
		s += strings.Repeat(" ", w-sw)
	}
	return s
}

// fitRight is fit with the padding on the left, for numbers.
func fitRight(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := width(s)
	if sw > w {
		return ansi.Truncate(s, w, "…")
	}
	return strings.Repeat(" ", w-sw) + s
}

// clean makes text from a result or a file safe to draw: control
// characters, which could move the cursor or restyle the terminal, become
// visible symbols, and tabs become a space. Clean text is returned as is.
func clean(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\t':
			b.WriteByte(' ')
		case r == '\n':
			b.WriteRune('↵')
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			b.WriteRune('�')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isClean(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f {
			return false
		}
		if c == 0xc2 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] < 0xa0 {
			return false // a C1 control character
		}
	}
	return utf8.ValidString(s)
}

// joinLines renders lines to exactly h lines of width w, padding with
// blank lines.
func joinLines(lines []string, w, h int) string {
	var b strings.Builder
	blank := strings.Repeat(" ", max(w, 0))
	for i := range h {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(lines) {
			b.WriteString(fit(lines[i], w))
		} else {
			b.WriteString(blank)
		}
	}
	return b.String()
}

// titleBar draws "─ title ─────── right ─" across w columns.
func titleBar(title, right string, w int) string {
	left := "─ " + title + " "
	if right != "" {
		right = " " + right + " ─"
	}
	fill := w - ansi.StringWidth(left) - ansi.StringWidth(right)
	if fill < 1 {
		return fit(left+right, w)
	}
	return left + strings.Repeat("─", fill) + right
}

// thousands formats n with comma separators, as in "100,000".
func thousands(n int) string { return humanize.Comma(int64(n)) }
